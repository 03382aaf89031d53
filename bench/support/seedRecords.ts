/**
 * Bulk set-up for benchmarks: gives many records their version 1 in a few inserts instead of
 * ~8 round trips each. Writing 20,000 records one by one through the start-up migration (as the
 * scheduler benchmark did) took over 20 minutes on a loaded 2-core machine, for a phase that is
 * not even timed.
 *
 * What it writes is what the write path writes for a record's first version
 * (VersionedRecords.write -> MongoHistoryRepository.append with expected version 0, then
 * project): one history entry `<kind>:<key>#1` with the same fields, built by the same helpers
 * (storable, GENESIS_HASH, the repository's own HMAC), and the projection `{..., _id: key,
 * rev: 1}`; numbered keys are claimed in `record_keys` as the migration claims them. The
 * caller checks the result with the real code (the migration finds nothing to do, audit verify
 * passes), so a drift between this and the write path fails the benchmark instead of skewing it.
 */
import { GENESIS_HASH } from '../../src/domain/audit/hash';
import type { HistoryEntry } from '../../src/domain/ports';
import { storable } from '../../src/store/history.repo';
import { keyModel } from '../../src/store/sequence';
import type { VersionedRecords } from '../../src/store/versioned';
import type { Connection } from 'mongoose';

const CHUNK = 1000;

export interface SeedChange {
  at: Date;
  actorId: string;
  action: string;
  data?: Record<string, unknown>;
}

/** Inserts version 1 of every record (history entry + projection); returns how many. */
export async function seedVersionOne<T extends { rev?: number }>(conn: Connection, store: VersionedRecords<T>, records: T[], change: SeedChange): Promise<number> {
  if (store.opts.seal) throw new Error(`seedVersionOne: ${store.opts.kind} records are sealed; create them through the repository`);
  const history = store.history.model.collection;
  const projection = store.projection.collection;
  const keys = keyModel(conn).collection;
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    const entries = chunk.map((record) => {
      const key = store.opts.keyOf(record);
      const { rev: _rev, ...state } = record as T & Record<string, unknown>;
      // As MongoHistoryRepository.append builds an entry with expected version 0 and no events.
      const base: Omit<HistoryEntry, 'hash'> = {
        stream: store.stream(key),
        version: 1,
        at: change.at,
        actorId: change.actorId,
        action: change.action,
        subject: key,
        data: JSON.parse(JSON.stringify(change.data ?? {})),
        state: storable(state),
        events: [],
        prevHash: GENESIS_HASH,
      };
      const { events: _events, ...rest } = { ...base, hash: store.history.hashOf(base) };
      return { _id: `${base.stream}#1`, ...rest, storedAt: new Date() };
    });
    await history.insertMany(entries as never[], { ordered: false });
    await projection.insertMany(chunk.map((record) => ({ ...store.opts.toProjection({ ...record, rev: 1 }), _id: store.opts.keyOf(record), rev: 1 })) as never[], { ordered: false });
    const numbered = chunk.map((r) => /^(UC|APR|INC)-(\d+)$/.exec(store.opts.keyOf(r))).filter((m): m is RegExpExecArray => !!m);
    if (numbered.length) await keys.insertMany(numbered.map((m) => ({ _id: m[0], prefix: m[1], seq: Number(m[2]), at: change.at })) as never[], { ordered: false });
  }
  return records.length;
}
