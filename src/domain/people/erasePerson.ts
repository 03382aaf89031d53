/**
 * `person erase <email>`: GDPR Art. 17 erasure, by an AI CoE admin.
 *
 * Why this shape (the audit trail must still verify afterwards):
 * - History entries are HMAC-chained and checkpointed; rewriting one to remove a name breaks
 *   `audit verify`, deleting one is exactly the tampering it exists to catch. So the history is
 *   never touched. Instead a person's personal values entered it sealed with a key of their own
 *   (src/store/personVault.ts); erasure destroys that key (crypto-shredding). The signed bytes
 *   are unchanged, so every chain and checkpoint still verifies, and the versions, actions and
 *   actor ids (random UUIDs, pseudonyms once the person is gone) still tell who did what when.
 * - The person record gets a new version holding only a pseudonym, no email and no chat ids:
 *   the projection, the identity claims (keyed by email and chat id) and display lists follow it.
 * - Other records that copied a personal value into their state get a new version with the
 *   value replaced by the pseudonym (their older versions hold no clear personal values written
 *   by this version of Steward: names are not copied into other records any more).
 * - Operational copies (outbox messages, message and chat references, claims) are scrubbed.
 * - The erasure is itself audited: the person's `person.erased` version names the admin, and
 *   carries counts only (nothing personal).
 */
import { z } from 'zod';
import { ForbiddenError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import type { Change, DomainContext, RecordRef } from '../ports';
import { updateRecord, type VersionedStore } from '../records/updateRecord';
import type { Person } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, peopleRecords, personNotFound } from './actor';
import { AdminGuard, AdminsBusy } from './adminGuard';

export const erasePersonInput = z
  .object({
    actorId: z.string().min(1),
    email: z.email('expected the email address of the person to erase, e.g. ada@example.com').trim().toLowerCase().optional(),
    /** Instead of the email: after restoring a backup older than an erasure, the ids in the trail's `person.erased` entries. */
    personId: z.string().trim().min(1).max(100).optional(),
  })
  .refine((v) => !!v.email !== !!v.personId, { message: 'give the email address of the person to erase (or their person id)', path: ['email'] });
export type ErasePersonInput = z.input<typeof erasePersonInput>;

export interface ErasureResult {
  personId: string;
  pseudonym: string;
  /** Other records given a new version without the person's values. */
  records: string[];
  /** Operational rows scrubbed. */
  copies: number;
}

/** A stable, meaningless name: the first 8 characters of the (random) person id. */
export const pseudonymOf = (personId: string): string => `Erased person ${personId.slice(0, 8)}`;

/** Replaces every occurrence of the values in every string of `value` (Dates kept). */
export function scrubValues<T>(value: T, needles: RegExp, pseudonym: string): T {
  if (typeof value === 'string') return value.replace(needles, pseudonym) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValues(v, needles, pseudonym)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValues(v, needles, pseudonym)])) as T;
}

/** The person's personal values, as one pattern: names as whole words, ids and emails as typed. */
export function personalPattern(values: string[]): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(values.map((v) => (/^\w/.test(v) && /\w$/.test(v) ? `\\b${esc(v)}\\b` : esc(v))).join('|'), 'gi');
}

const storeOf = (ctx: DomainContext, kind: RecordRef['kind']): VersionedStore<any> =>
  ({ usecase: ctx.repos.useCases, approval: ctx.repos.approvals, incident: ctx.repos.incidents, review: ctx.repos.reviews, model: ctx.repos.models })[kind];

export async function erasePerson(ctx: DomainContext, raw: ErasePersonInput): Promise<ErasureResult> {
  const input = parseInput(erasePersonInput, raw, 'person.invalid');
  const store = ctx.repos.personalData;
  if (!store) throw new UnavailableError('person.erase_unavailable', 'Erasure is not available in this process.');
  const actor = await ctx.repos.people.findById(input.actorId);
  if (!actor || !hasRole(actor, ADMIN_ROLE)) throw new ForbiddenError('person.erase_forbidden', 'Only an AI CoE admin can erase a person.');
  const found = input.email ? await ctx.repos.people.findByEmail(input.email) : await ctx.repos.people.findById(input.personId!);
  const target = found?.erasedAt ? null : found;
  if (!target) throw new NotFoundError('person.not_found', input.email ? `No registered person has the email ${input.email}.` : `No registered person has the id ${input.personId}.`);
  if (target.id === actor.id) throw new ValidationError('person.erase_self', 'You cannot erase yourself; ask another AI CoE admin.');

  const pseudonym = pseudonymOf(target.id);
  const values = [target.name, target.email, target.slackUserId, target.teamsAadObjectId].filter((v): v is string => !!v && v.length >= 2);
  const pattern = personalPattern(values);
  const at = ctx.clock.now();
  const cause = `erasure:${target.id}`;

  // 1. Other records' newest versions, rewritten without the values (idempotent: a record that
  //    no longer mentions them writes nothing).
  const records: string[] = [];
  for (const ref of await store.recordsMentioning(values)) {
    const { written } = await updateRecord(ctx, storeOf(ctx, ref.kind), ref.key, (current) => {
      const scrubbed = scrubValues({ ...current, rev: undefined }, pattern, pseudonym);
      if (JSON.stringify(scrubbed) === JSON.stringify({ ...current, rev: undefined })) return null;
      return { record: { ...scrubbed, rev: current.rev }, change: { at, actorId: actor.id, action: `${ref.kind}.personal_data_erased`, cause, data: { personId: target.id } } };
    });
    if (written) records.push(ref.key);
  }
  // 2. Copies outside the records.
  const copies = await store.scrubCopies(target.id, values, pseudonym);
  // 3. The person: a version with a pseudonym only (identity claims are released by the write).
  const guard = new AdminGuard(ctx);
  try {
    await updateRecord(
      ctx,
      peopleRecords(ctx),
      target.id,
      async (person): Promise<{ record: Person; change: Change } | null> => {
        if (person.erasedAt) return null;
        if (hasRole(person, ADMIN_ROLE)) await guard.keepAnotherAdmin(person);
        return {
          record: { id: person.id, name: pseudonym, roles: [], createdAt: person.createdAt, erasedAt: at, ...(person.rev !== undefined ? { rev: person.rev } : {}) },
          change: {
            at,
            actorId: actor.id,
            action: 'person.erased',
            data: { records: records.length, copies },
            events: [{ type: 'person.updated', at, actorId: actor.id, personId: person.id }],
          },
        };
      },
      personNotFound(target.id),
    );
  } catch (e) {
    if (e instanceof AdminsBusy) throw new UnavailableError('person.admins_busy', 'Another change to the AI CoE admins is under way; try again in a moment.');
    throw e;
  } finally {
    await guard.release();
  }
  // 4. Last: the key. Every value sealed with it, in every history entry, is unreadable from now on.
  await store.destroyKey(target.id);
  return { personId: target.id, pseudonym, records, copies };
}

