/**
 * The one way the domain changes an existing record. Read the latest version, decide, write
 * the next version with its audit in one insert; if another writer took that version first,
 * read again and decide again. Rules are therefore always checked against the version the
 * change is written on top of: a vote is never added to an approval decided meanwhile, and
 * evidence is never written over a suspension.
 */
import { NotFoundError } from '../errors';
import type { Change, Committed, DomainContext } from '../ports';
import { isStaleWrite, StaleWriteError } from './staleWrite';

export interface VersionedStore<T> {
  get(key: string): Promise<T | null>;
  save(record: T, change: Change): Promise<Committed<T>>;
}

/** What a step decides: the next version and its change, or null for "nothing to do". */
export type Step<T> = { record: T; change: Change } | null;

export interface UpdateResult<T> {
  record: T;
  /** False when the step decided there was nothing to write. */
  written: boolean;
}

/** Attempts before giving up; each loser re-reads, so this bounds only pathological contention. */
export const MAX_ATTEMPTS = 40;

/**
 * Writers of one record in one process take turns (a queue per store and key): they would
 * otherwise all read the same version and all but one lose, over and over (40 notes on one
 * incident needed 12 attempts each). Other processes still race, decided by the unique insert.
 * Only the read-decide-write is queued, never the reactions, which may write other records.
 */
const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

function inTurn<R>(store: object, key: string, work: () => Promise<R>): Promise<R> {
  let byKey = queues.get(store);
  if (!byKey) queues.set(store, (byKey = new Map()));
  const before = byKey.get(key) ?? Promise.resolve();
  const mine = before.then(work, work);
  const tail = mine.catch(() => undefined);
  byKey.set(key, tail);
  void tail.then(() => byKey.get(key) === tail && byKey.delete(key));
  return mine;
}

export async function updateRecord<T>(
  ctx: Pick<DomainContext, 'react'>,
  store: VersionedStore<T>,
  key: string,
  step: (current: T) => Step<T> | Promise<Step<T>>,
  notFound: () => Error = () => new NotFoundError('record.not_found', `${key} does not exist.`),
): Promise<UpdateResult<T>> {
  let last: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      const outcome = await inTurn(store, key.trim().toUpperCase(), async (): Promise<UpdateResult<T> | { committed: Committed<T> }> => {
        const current = await store.get(key);
        if (!current) throw notFound();
        const next = await step(current);
        if (!next) return { record: current, written: false };
        return { committed: await store.save(next.record, next.change) };
      });
      if (!('committed' in outcome)) return outcome;
      await ctx.react(outcome.committed.entry);
      return { record: outcome.committed.record, written: true };
    } catch (e) {
      if (!isStaleWrite(e)) throw e;
      last = e;
      // Jitter spreads writers who lost together, so they do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * (attempt + 1))));
    }
  }
  throw last instanceof StaleWriteError ? last : new Error(`could not update ${key}`);
}

/** Writes a new record's first version and runs its consequences. */
export async function createRecord<T>(ctx: Pick<DomainContext, 'react'>, write: () => Promise<Committed<T>>): Promise<T> {
  const committed = await write();
  await ctx.react(committed.entry);
  return committed.record;
}
