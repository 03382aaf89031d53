/**
 * The store side of erasure (src/domain/people/erasePerson.ts): finding the records that copied
 * a person's values, scrubbing operational copies, and destroying the person's key.
 *
 * Never touched: the history and its checkpoints (sealed values become unreadable instead), the
 * record projections (they follow the new versions the domain writes), the keys of others.
 */
import type { Connection } from 'mongoose';
import { personalPattern, scrubValues } from '../domain/people/erasePerson';
import type { PersonalDataStore, RecordRef } from '../domain/ports';
import type { PersonVault } from './personVault';

/** Record projections by kind: searched for mentions, rewritten only through new versions. */
const PROJECTIONS: Record<RecordRef['kind'], { collection: string; key: string }> = {
  usecase: { collection: 'use_cases', key: '_id' },
  approval: { collection: 'approvals', key: '_id' },
  incident: { collection: 'incidents', key: '_id' },
  review: { collection: 'reviews', key: '_id' },
  model: { collection: 'models', key: '_id' },
};

/** Never rewritten by the scrub: the audit trail, the keys, the projections (see above). */
const UNTOUCHED = new Set(['history', 'history_pending', 'audit_checkpoints', 'person_keys', 'people', 'person_identities', ...Object.values(PROJECTIONS).map((p) => p.collection)]);

/** Scans before an erasure gives up on a document that keeps being written with the values. */
const MAX_PASSES = 3;

/**
 * Seams for tests: the two moments a concurrent writer matters, where a test can write
 * deterministically instead of racing a writer loop (whether a racing writer lands in the window
 * depends on how loaded the machine is).
 */
export interface PersonalDataStoreOptions {
  /** After each scrub pass: where a value written back would be found by the next pass. */
  afterPass?: (pass: number) => Promise<void>;
  /** Between reading a document that holds the values and rewriting it. */
  beforeRewrite?: (collection: string, id: unknown) => Promise<void>;
}

/**
 * Whether a document can be its own equality filter: a key with a dot or a leading $ would be
 * read as a path or an operator. Such a document is rewritten by _id alone (unconditionally).
 */
function usableAsFilter(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(usableAsFilter);
  if (!value || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return true;
  return Object.entries(value).every(([k, v]) => !k.includes('.') && !k.startsWith('$') && usableAsFilter(v));
}

export class MongoPersonalDataStore implements PersonalDataStore {
  constructor(
    private readonly conn: Connection,
    private readonly vault: PersonVault,
    private readonly opts: PersonalDataStoreOptions = {},
  ) {}

  private get db() {
    const db = this.conn.db;
    if (!db) throw new Error('the database connection is not open');
    return db;
  }

  async recordsMentioning(values: string[]): Promise<RecordRef[]> {
    if (!values.length) return [];
    const pattern = personalPattern(values);
    const out: RecordRef[] = [];
    for (const [kind, p] of Object.entries(PROJECTIONS) as Array<[RecordRef['kind'], (typeof PROJECTIONS)[RecordRef['kind']]]>) {
      // A scan: erasure is rare, and FerretDB would scan for any filter on these fields anyway.
      for await (const doc of this.db.collection<any>(p.collection).find({})) {
        pattern.lastIndex = 0;
        if (pattern.test(JSON.stringify(doc))) out.push({ kind, key: String(doc[p.key]) });
      }
    }
    return out;
  }

  async scrubCopies(personId: string, values: string[], pseudonym: string): Promise<number> {
    const db = this.db;
    let changed = 0;
    // Their personal Teams conversation reference names them and their Entra id: dropped (a
    // message to a pseudonym has nowhere to go).
    changed += (await db.collection<any>('teams_conversations').deleteMany({ _id: `person:${personId}` })).deletedCount ?? 0;
    if (!values.length) return changed;
    const pattern = personalPattern(values);
    // The rewrite below is in place, which FerretDB does not make atomic: a writer rewriting the
    // same document at the same moment can put a value back. So the scan is repeated until a pass
    // finds nothing; if one still does after MAX_PASSES, the erasure fails (it is idempotent: run
    // it again) rather than report a scrub it did not finish.
    for (let pass = 1; ; pass++) {
      const { found, rewritten } = await this.scrubPass(pattern, pseudonym);
      changed += rewritten;
      await this.opts.afterPass?.(pass);
      if (!found) return changed;
      if (pass === MAX_PASSES) throw new Error(`personal data of ${personId} was written again while it was being erased (${MAX_PASSES} passes); run the erasure again`);
    }
  }

  /**
   * One scan of the operational collections: how many documents held the values, and how many
   * of those it rewrote or deleted. Each rewrite is conditional on the document being exactly as
   * read, so a writer's change made meanwhile is not overwritten: that document is left for the
   * next pass, which reads it again (a narrow window on FerretDB, whose writes are not atomic;
   * none on MongoDB).
   */
  private async scrubPass(pattern: RegExp, pseudonym: string): Promise<{ found: number; rewritten: number }> {
    const db = this.db;
    let found = 0;
    let rewritten = 0;
    for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (UNTOUCHED.has(c.name) || c.name.startsWith('system.')) continue;
      const col = db.collection<any>(c.name);
      for await (const doc of col.find({})) {
        pattern.lastIndex = 0;
        if (!pattern.test(JSON.stringify(doc))) continue;
        found++;
        const { _id, ...rest } = doc;
        await this.opts.beforeRewrite?.(c.name, _id);
        // An _id that is itself personal (a claim keyed by an email) cannot be rewritten: the row goes.
        pattern.lastIndex = 0;
        const asRead = usableAsFilter(doc) ? doc : { _id };
        const done =
          typeof _id === 'string' && pattern.test(_id)
            ? (await col.deleteOne(asRead)).deletedCount
            : (await col.replaceOne(asRead, scrubValues(rest, pattern, pseudonym))).matchedCount;
        rewritten += done ? 1 : 0;
      }
    }
    return { found, rewritten };
  }

  destroyKey(personId: string): Promise<void> {
    return this.vault.destroy(personId);
  }
}
