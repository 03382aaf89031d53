/**
 * Who holds a chat identity or email: one claim document per identity (`slack:U1`, `teams:…`,
 * `email:a@b`) in person_identities. Its _id is the uniqueness guarantee: a unique index on an
 * optional field would need sparse/partial indexes, which FerretDB does not offer.
 *
 * A claim is inserted BEFORE the person's version that holds the identity is written, so two
 * people can never both hold one: the insert decides. A claim is believed only when its
 * person's newest version holds the identity; a claim nobody's version holds is a write in
 * flight (younger than IDENTITY_CLAIM_GRACE_MS) or the leftover of a writer that died between
 * claim and write, which anyone may take over.
 *
 * Ending a claim (release, takeover) is itself decided by a unique insert, an "end token" named
 * after the claim's nonce: FerretDB deletes by first finding and then deleting by _id, so two
 * enders (or an ender and a new claimer) must never both delete, or a fresh claim could vanish.
 */
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { ConflictError } from '../domain/errors';
import { StaleWriteError } from '../domain/records/staleWrite';
import { isDuplicateKey } from './mongoErrors';

/** How long a claim no version holds counts as a write still in flight rather than a dead writer's. */
export const IDENTITY_CLAIM_GRACE_MS = 60_000;

export interface IdentityClaim {
  _id: string;
  personId: string;
  /** Names this generation of the claim (absent on claims made before histories). */
  nonce?: string;
  /** Wall-clock time of the claim (absent on old claims: they count as old). */
  at?: Date;
}

const ATTEMPTS = 10;
const END_GENERATIONS = 5;

export const duplicateIdentity = (key: string): ConflictError => {
  const at = key.indexOf(':');
  const [kind, value] = [key.slice(0, at), key.slice(at + 1)];
  return new ConflictError('person.duplicate', `Someone is already registered with ${kind} ${value}.`, { kind });
};

export class IdentityClaims {
  constructor(
    readonly model: Model<any>,
    /** Whether the person's newest version holds the identity. */
    private readonly holds: (personId: string, key: string) => Promise<boolean>,
    private readonly graceMs = IDENTITY_CLAIM_GRACE_MS,
  ) {}

  read(key: string): Promise<IdentityClaim | null> {
    return this.model.collection.findOne({ _id: key as never }) as Promise<IdentityClaim | null>;
  }

  async readMany(keys: string[]): Promise<IdentityClaim[]> {
    if (!keys.length) return [];
    return (await this.model.collection.find({ _id: { $in: keys as never[] } }).toArray()) as unknown as IdentityClaim[];
  }

  /**
   * Claims every key for the person (whose version `version` is about to be written). Returns the
   * claims this call inserted. ConflictError when someone else holds one (what this call claimed
   * is released first); StaleWriteError when another writer of the same person is adding it.
   */
  async claimAll(personId: string, keys: string[], stream: string, version: number): Promise<IdentityClaim[]> {
    const mine: IdentityClaim[] = [];
    try {
      for (const key of keys) {
        const claim = await this.claim(personId, key, stream, version);
        if (claim) mine.push(claim);
      }
    } catch (e) {
      await this.releaseQuietly(mine, personId);
      throw e;
    }
    return mine;
  }

  private async claim(personId: string, key: string, stream: string, version: number): Promise<IdentityClaim | null> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const claim: IdentityClaim = { _id: key, personId, nonce: randomUUID(), at: new Date() };
      try {
        await this.model.collection.insertOne(claim as never);
        return claim;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
      const existing = await this.read(key);
      if (!existing) continue; // ended meanwhile: insert again
      if (await this.holds(existing.personId, key)) {
        if (existing.personId === personId) return null; // already this person's (a newer version holds it)
        throw duplicateIdentity(key);
      }
      if (this.fresh(existing)) {
        // Someone is writing the version that will hold it: another person's is a refusal;
        // this person's own concurrent writer will have written it when updateRecord retries.
        if (existing.personId === personId) throw new StaleWriteError(stream, version);
        throw duplicateIdentity(key);
      }
      await this.end(existing, personId); // a dead writer's leftover: take it over
    }
    throw new StaleWriteError(stream, version);
  }

  /** Ends the given claims if they are still the person's (a claimer's own, or identities a version dropped). */
  async release(claims: IdentityClaim[], personId: string): Promise<void> {
    for (const claim of claims) if (claim.personId === personId) await this.end(claim, personId);
  }

  /** release(), for after a write: a claim left behind is taken over later, so a failure here must not fail the write. */
  async releaseQuietly(claims: IdentityClaim[], personId: string): Promise<void> {
    await this.release(claims, personId).catch(() => undefined);
  }

  private fresh(doc: { at?: Date }): boolean {
    return !!doc.at && Date.now() - new Date(doc.at).getTime() < this.graceMs;
  }

  /**
   * Deletes this generation of the claim, once: the end token's insert decides who does it.
   * A token left by a process that died holding it is passed over once old (next generation).
   * False when someone else is ending it.
   */
  private async end(claim: IdentityClaim, by: string): Promise<boolean> {
    for (let g = 0; g < END_GENERATIONS; g++) {
      const token = `end:${claim._id}#${claim.nonce ?? 'legacy'}#${g}`;
      try {
        await this.model.collection.insertOne({ _id: token, personId: by, at: new Date() } as never);
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const held = await this.read(token);
        if (held && this.fresh(held)) return false;
        continue;
      }
      // Only this generation: a newer claim of the same identity has another nonce.
      await this.model.collection.deleteMany({ _id: claim._id as never, nonce: claim.nonce ?? { $exists: false } });
      // Safe to drop: no claim with this nonce can exist again, so a later token finds nothing to delete.
      await this.model.collection.deleteOne({ _id: token as never });
      return true;
    }
    return false;
  }
}
