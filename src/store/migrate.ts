/**
 * One-time, idempotent migration of a database written before records had histories: every
 * record without a version gets version 1 (`record.migrated`, its state as found), approvals
 * take their votes from the old approval_votes collection, and the old global audit chain is
 * copied, entry by entry, into the stream `legacy:audit` (its original seq, hashes and a check
 * of the old chain kept in each entry's data). Runs at every start; a second run finds nothing
 * to do, and a run interrupted half-way is finished by the next (every write is a unique insert).
 * Also re-projects records whose projection is behind their history (a crash between the two).
 */
import type { Connection } from 'mongoose';
import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from '../domain/audit/hash';
import type { Repositories } from '../domain/ports';
import type { MongoHistoryRepository } from './history.repo';
import { toVote } from './approvals.repo';
import { claimKey, keyModel } from './sequence';
import type { VersionedRecords } from './versioned';

export interface MigrationReport {
  /** Records given their first version, by kind. */
  migrated: Record<string, number>;
  /** Entries of the old audit chain copied into `legacy:audit`. */
  legacyAudit: number;
  /** Whether the old chain verified before it was copied (null when there was none to copy). */
  legacyChainIntact: boolean | null;
  /** Projections brought up to their history. */
  reprojected: number;
}

const MIGRATION_ACTOR = 'system';

/** The repositories' versioned stores (every Mongo repository exposes `records`). */
const versionedStores = (repos: Repositories): VersionedRecords<any>[] =>
  Object.values(repos)
    .map((r) => (r as { records?: VersionedRecords<any> }).records)
    .filter((r): r is VersionedRecords<any> => !!r);

export async function migrateToHistory(conn: Connection, repos: Repositories): Promise<MigrationReport> {
  const report: MigrationReport = { migrated: {}, legacyAudit: 0, legacyChainIntact: null, reprojected: 0 };
  for (const store of versionedStores(repos)) {
    const kind = store.opts.kind;
    const unversioned = await store.projection.find({ rev: { $exists: false } }).lean();
    for (const doc of unversioned) {
      const record = await legacyRecord(conn, kind, store, doc);
      const key = store.opts.keyOf(record);
      const written = await store.history.append(
        {
          stream: store.stream(key),
          at: new Date(),
          actorId: MIGRATION_ACTOR,
          action: 'record.migrated',
          subject: key,
          data: { note: 'state as found when histories were introduced' },
          state: stateOf(record),
        },
        0,
      );
      if (written) report.migrated[kind] = (report.migrated[kind] ?? 0) + 1;
      // Numbered records claim their number, so new ones continue after it.
      const numbered = /^(UC|APR|INC)-(\d+)$/.exec(key);
      if (numbered) await claimKey(keyModel(conn), numbered[1]!, Number(numbered[2]));
      // Projections are now keyed by the record's key: the old document (ObjectId _id) makes way.
      if (doc._id !== key) await store.projection.collection.deleteOne({ _id: doc._id });
      const head = await store.head(key);
      if (head) await store.project(head);
    }
    report.reprojected += await store.reprojectAll();
  }
  Object.assign(report, await copyLegacyAudit(conn, repos.audit as MongoHistoryRepository));
  return report;
}

const stateOf = (record: Record<string, unknown>): Record<string, unknown> => {
  const { rev: _rev, ...state } = record;
  return state;
};

/** The record a pre-history projection document stood for (approvals: with their separately stored votes). */
async function legacyRecord(conn: Connection, kind: string, store: VersionedRecords<any>, doc: any): Promise<any> {
  const { _id, ...rest } = doc;
  const record = store.opts.fromState(kind === 'person' ? { ...rest, _id, id: _id } : rest);
  if (kind !== 'approval') return { ...record, rev: undefined };
  const votes = await conn.collection('approval_votes').find({ approvalKey: record.key }).sort({ at: 1, _id: 1 }).toArray();
  return {
    ...record,
    rev: undefined,
    votes: votes.map(toVote),
  };
}

/** The old chain's own hash function, to check it before copying. */
const legacyHash = (e: any): string =>
  createHash('sha256')
    .update(canonicalJson({ seq: e.seq, at: new Date(e.at).toISOString(), actorId: e.actorId, action: e.action, subject: e.subject, data: e.data ?? {}, prevHash: e.prevHash }))
    .digest('hex');

async function copyLegacyAudit(conn: Connection, history: MongoHistoryRepository): Promise<Pick<MigrationReport, 'legacyAudit' | 'legacyChainIntact'>> {
  const old = conn.collection('audit');
  const total = await old.countDocuments({});
  if (!total) return { legacyAudit: 0, legacyChainIntact: null };
  const head = await history.head('legacy:audit');
  if ((head?.version ?? 0) >= total) return { legacyAudit: 0, legacyChainIntact: null };
  let prev = GENESIS_HASH;
  let intact = true;
  let copied = 0;
  for await (const e of old.find({}).sort({ seq: 1 })) {
    const ok = e.prevHash === prev && legacyHash(e) === e.hash;
    intact &&= ok;
    prev = e.hash;
    if (e.seq <= (head?.version ?? 0)) continue;
    const entry = await history.append(
      {
        stream: 'legacy:audit',
        at: new Date(e.at),
        actorId: e.actorId,
        action: e.action,
        subject: e.subject,
        data: { ...(e.data ?? {}), legacy: { seq: e.seq, hash: e.hash, prevHash: e.prevHash, linkVerified: ok } },
      },
      e.seq - 1,
    );
    if (entry) copied++;
  }
  return { legacyAudit: copied, legacyChainIntact: intact };
}
