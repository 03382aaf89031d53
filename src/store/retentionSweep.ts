/**
 * The retention sweep (issue 16, data lifecycle): deletes operational data older than the
 * policy allows (src/domain/retention/policy.ts). It never touches the audit trail (`history`,
 * `history_pending`, `audit_checkpoints`), the record projections, identity claims or the
 * domain's exactly-once claims, and keeps every evaluation run an evidence pack or a gate needs:
 * the latest run and the latest passing run of each model and suite, and any run a record
 * refers to.
 *
 * Safe to run twice and on two workers at once: every step is a delete of rows chosen by a read,
 * and deleting what is already gone deletes nothing. Outbox rows go message first, so a crash
 * half-way leaves stray attempts or outcomes (swept next time), never a message that looks
 * unsent and is sent again.
 */
import type { Connection } from 'mongoose';
import type { RetentionKind, RetentionPolicy } from '../domain/retention/policy';
import { EVAL_RUN_JOB } from '../evals/service/evalQueue';
import { MongoEvalLeaseRepository } from './evalLeases.repo';

const DAY_MS = 86_400_000;
const PAGE = 500;

/** Collections that are not records: a run id found in them is not a reference that protects the run. */
const NOT_RECORDS = new Set([
  'history', 'history_pending', 'audit_checkpoints', 'eval_runs', 'agendaJobs', 'claims', 'eval_leases', 'record_keys',
  'deliveries', 'delivery_queue', 'delivery_attempts', 'delivery_outcomes', 'delivery_batches', 'slack_messages', 'teams_messages',
  'teams_conversations', 'person_identities', 'person_keys',
]);

/** Rows deleted per kind (outbox: messages; evalLeases: lease generations). */
export type RetentionReport = Record<RetentionKind, number>;

const chunks = <T>(xs: T[], n = PAGE): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

export async function sweepRetention(conn: Connection, policy: RetentionPolicy, now: Date = new Date()): Promise<RetentionReport> {
  const db = conn.db;
  if (!db) throw new Error('the database connection is not open');
  const cutoff = (kind: RetentionKind): Date | null => (policy[kind] > 0 ? new Date(now.getTime() - policy[kind] * DAY_MS) : null);
  const col = (name: string) => db.collection<any>(name);
  const report: RetentionReport = { deliveries: 0, deadDeliveries: 0, evalJobs: 0, evalRuns: 0, evalLeases: 0, messageRefs: 0, chatClaims: 0 };

  // Outbox: only messages whose last word is final (sent, or dead) are swept.
  for (const [kind, outcome] of [['deliveries', 'sent'], ['deadDeliveries', 'dead']] as const) {
    const before = cutoff(kind);
    if (!before) continue;
    const keys: string[] = await col('delivery_outcomes').distinct('key', { outcome, at: { $lt: before } });
    for (const page of chunks(keys)) {
      const gone = await col('deliveries').deleteMany({ _id: { $in: page } });
      report[kind] += gone.deletedCount ?? 0;
      await col('delivery_queue').deleteMany({ key: { $in: page } });
      await col('delivery_attempts').deleteMany({ key: { $in: page } });
      await col('delivery_outcomes').deleteMany({ key: { $in: page } });
    }
  }

  // Copies of queued messages for their first attempts (deliveries.repo.ts): after a week a first
  // attempt still waiting reads its message from the deliveries; copies never outlive them.
  const deliveriesBefore = cutoff('deliveries');
  const copiesBefore = new Date(Math.min(now.getTime() - 7 * DAY_MS, deliveriesBefore?.getTime() ?? Infinity));
  await col('delivery_batches').deleteMany({ createdAt: { $lt: copiesBefore } });

  // One-off evaluation jobs (they carry a runKey); the recurring occurrence carries none.
  const jobsBefore = cutoff('evalJobs');
  if (jobsBefore) {
    const r = await col('agendaJobs').deleteMany({ name: EVAL_RUN_JOB, 'data.runKey': { $exists: true }, lastFinishedAt: { $lt: jobsBefore }, nextRunAt: null });
    report.evalJobs = r.deletedCount ?? 0;
  }

  const runsBefore = cutoff('evalRuns');
  if (runsBefore) report.evalRuns = await sweepEvalRuns(conn, runsBefore);

  const leasesBefore = cutoff('evalLeases');
  if (leasesBefore) report.evalLeases = await sweepLeases(conn, leasesBefore);

  const refsBefore = cutoff('messageRefs');
  if (refsBefore) {
    // Where messages live, to edit or thread under them; Teams conversation references (needed
    // to message a person at all) are not swept.
    for (const name of ['slack_messages', 'teams_messages']) report.messageRefs += (await col(name).deleteMany({ at: { $lt: refsBefore } })).deletedCount ?? 0;
  }

  const claimsBefore = cutoff('chatClaims');
  if (claimsBefore) report.chatClaims = (await col('claims').deleteMany({ 'data.channel': { $in: ['slack', 'teams'] }, at: { $lt: claimsBefore } })).deletedCount ?? 0;

  return report;
}

async function sweepEvalRuns(conn: Connection, before: Date): Promise<number> {
  const db = conn.db!;
  const runs = db.collection<any>('eval_runs');
  const old: Array<{ runId: string; modelName: string; suite: string }> = await runs
    .find({ finishedAt: { $lt: before } }, { projection: { runId: 1, modelName: 1, suite: 1 } })
    .toArray();
  if (!old.length) return 0;
  const keep = new Set<string>();
  // The latest run and the latest passing run of each model and suite, whatever their age:
  // the gate's freshness check and an evidence pack's evaluation section read them.
  const pairs = new Map(old.map((r) => [`${r.modelName}\u0000${r.suite}`, r]));
  for (const { modelName, suite } of pairs.values()) {
    for (const filter of [{ modelName, suite }, { modelName, suite, passed: true }]) {
      const latest = await runs.find(filter, { projection: { runId: 1 } }).sort({ finishedAt: -1 }).limit(1).next();
      if (latest) keep.add(latest.runId);
    }
  }
  // Runs a record refers to (a model's latest evaluation, an incident opened by a run, evidence).
  const candidates = new Set(old.map((r) => r.runId).filter((id) => !keep.has(id)));
  if (candidates.size) {
    for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (NOT_RECORDS.has(c.name) || c.name.startsWith('system.')) continue;
      for await (const doc of db.collection(c.name).find({})) {
        const text = JSON.stringify(doc);
        for (const id of candidates) if (text.includes(id)) keep.add(id);
      }
    }
  }
  let deleted = 0;
  for (const page of chunks(old.map((r) => r.runId).filter((id) => !keep.has(id)))) deleted += (await runs.deleteMany({ runId: { $in: page } })).deletedCount ?? 0;
  return deleted;
}

async function sweepLeases(conn: Connection, before: Date): Promise<number> {
  const leases = new MongoEvalLeaseRepository(conn);
  const keys: string[] = await leases.model.distinct('runKey', { at: { $lt: before } });
  let deleted = 0;
  for (const key of keys) {
    const head = await leases.head(key);
    // A run that ended (or an endpoint left free) that long ago; a live chain is never cut, since
    // a lease is found by walking its generations from the first.
    const ended = head && (['done', 'failed', 'abandoned'].includes(head.state) || (key.startsWith('endpoint:') && head.state === 'released'));
    if (!ended || head.at.getTime() >= before.getTime()) continue;
    deleted += (await leases.model.deleteMany({ runKey: key })).deletedCount ?? 0;
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await conn.db!.collection('claims').deleteMany({ _id: { $regex: `^eval-resume:${escaped}#` } as never });
  }
  return deleted;
}
