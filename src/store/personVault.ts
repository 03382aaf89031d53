/**
 * Crypto-shredding of personal data in the audit trail (GDPR Art. 17 erasure).
 *
 * The history is HMAC-chained: rewriting an entry to remove someone's name would break
 * `audit verify`, and deleting it would be a hole the checkpoints are there to catch. So
 * personal values never enter the history in clear: a person's name, email and chat ids are
 * stored in their history entries as `pii:v1:<personId>:<AES-256-GCM ciphertext>`, under a key
 * kept per person in `person_keys`, outside the chain. The entry's HMAC is over the ciphertext.
 * Erasure destroys the key: the entries stay byte for byte what was signed (the trail still
 * verifies, every version and actor id still there), and what they said about the person can
 * no longer be read by anyone. Readers show an erased value as ERASED_VALUE.
 *
 * A backup copied while an erasure ran may hold the key and the erasure: `npm run restore` calls
 * reapplyErasures, which destroys the keys of everyone the restored trail says was erased. A
 * backup older than an erasure knows nothing of it: the erasure is run again on the restore.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

export const SEALED_PREFIX = 'pii:v1:';
/** What a sealed value reads as once its person was erased. */
export const ERASED_VALUE = '[erased]';
/** How long a process reuses a key it read (an erasure elsewhere shows within this). */
const KEY_CACHE_MS = 30_000;

const keySchema = new Schema(
  { _id: { type: String, required: true }, key: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'person_keys', versionKey: false },
);

export class PersonVault {
  readonly model: Model<any>;
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();
  constructor(conn: Connection) {
    this.model = conn.models.PersonKey ?? conn.model('PersonKey', keySchema);
  }

  /** The person's key; created on first use when `create` (the first of two racing writers wins). */
  async key(personId: string, create: boolean): Promise<Buffer | null> {
    const hit = this.cache.get(personId);
    if (hit && hit.until > Date.now() && (hit.key || !create)) return hit.key;
    let doc: any = await this.model.collection.findOne({ _id: personId as never });
    if (!doc && create) {
      try {
        doc = { _id: personId, key: randomBytes(32).toString('base64'), at: new Date() };
        await this.model.collection.insertOne(doc);
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        doc = await this.model.collection.findOne({ _id: personId as never });
      }
    }
    const key = doc ? Buffer.from(doc.key, 'base64') : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(personId, { key, until: Date.now() + KEY_CACHE_MS });
    return key;
  }

  async seal(personId: string, value: string): Promise<string> {
    const key = (await this.key(personId, true))!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${personId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The clear value of a sealed one (ERASED_VALUE once the key is gone); other values as they are. */
  async open(value: unknown): Promise<unknown> {
    if (typeof value !== 'string' || !value.startsWith(SEALED_PREFIX)) return value;
    const rest = value.slice(SEALED_PREFIX.length);
    const cut = rest.lastIndexOf(':');
    const key = await this.key(rest.slice(0, cut), false);
    if (!key) return ERASED_VALUE;
    const raw = Buffer.from(rest.slice(cut + 1), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Destroys the key: every value sealed with it is unreadable from now on, everywhere. */
  async destroy(personId: string): Promise<void> {
    await this.model.deleteOne({ _id: personId });
    this.cache.set(personId, { key: null, until: Date.now() + KEY_CACHE_MS });
  }
}

/** The personal fields of a person's state and change data: sealed on write, opened on read. */
export const PERSONAL_FIELDS = ['name', 'email', 'slackUserId', 'teamsAadObjectId'] as const;

export async function sealFields(vault: PersonVault, personId: string, obj: Record<string, unknown> | undefined): Promise<Record<string, unknown> | undefined> {
  if (!obj) return obj;
  const out = { ...obj };
  for (const f of PERSONAL_FIELDS) if (typeof out[f] === 'string' && !(out[f] as string).startsWith(SEALED_PREFIX)) out[f] = await vault.seal(personId, out[f] as string);
  return out;
}

export async function openFields<T extends Record<string, unknown>>(vault: PersonVault, obj: T): Promise<T> {
  const out: Record<string, unknown> = { ...obj };
  for (const f of PERSONAL_FIELDS) if (out[f] !== undefined) out[f] = await vault.open(out[f]);
  return out as T;
}

/**
 * After a restore: destroys the key of every person the restored trail records as erased (a
 * backup made before the erasure copied their key). Returns how many keys were destroyed.
 */
export async function reapplyErasures(conn: Connection): Promise<number> {
  const db = conn.db!;
  const erased: string[] = await db.collection('history').distinct('subject', { action: 'person.erased' });
  if (!erased.length) return 0;
  const r = await db.collection('person_keys').deleteMany({ _id: { $in: erased as never[] } });
  return r.deletedCount ?? 0;
}
