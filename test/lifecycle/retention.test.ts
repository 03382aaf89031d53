/**
 * Issue 16, retention: the sweep deletes operational rows past their retention and nothing
 * else. Old rows go; recent rows, rows still in flight and protected rows (the audit trail, the
 * latest and latest passing run of a model and suite, a run a record refers to, live leases,
 * Teams conversation references, the domain's claims) stay; a second sweep deletes nothing;
 * two workers sweeping at once delete each row once and leave the same state.
 */
import { DEFAULT_RETENTION } from '../../src/domain/retention/policy';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import type { EvalRun } from '../../src/domain/evals/types';
import { acquireLease } from '../../src/evals/service/evalLease';
import { agendaEvalQueue } from '../../src/evals/service/evalQueue';
import { evalRunJob } from '../../src/scheduler/jobs/evalRun.job';
import { startWorker } from '../../src/scheduler/worker';
import { connectDatabase } from '../../src/store/connection';
import { createDeliveryRepository } from '../../src/store/deliveries.repo';
import { MongoEvalLeaseRepository } from '../../src/store/evalLeases.repo';
import { MongoEvalRunRepository } from '../../src/store/evalRuns.repo';
import { sweepRetention } from '../../src/store/retentionSweep';
import { MongoSlackMessageRepository } from '../../src/store/slackMessages.repo';
import { fixtureChange } from '../support/changes';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';
import { waitFor } from '../evals/support';

jest.setTimeout(90_000);

const t = useTestContext();
const DAY = 86_400_000;
const NOW = new Date();
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const col = (name: string) => t.ctx.conn.db!.collection<any>(name);
const ids = async (name: string, filter: Record<string, unknown> = {}) => (await col(name).find(filter, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)).sort();

const run = (runId: string, modelName: string, passed: boolean, finishedAt: Date): EvalRun => ({
  runId, modelName, suite: 'redteam', suiteKind: 'redteam', endpoint: { baseUrl: 'http://127.0.0.1:9/v1', modelName: 'x' },
  startedAt: finishedAt, finishedAt, metrics: { cases: 1 } as any, cases: [{ id: 'c1', output: 'ok' }] as any, assessment: { passed, reasons: [] },
});

/** One batch of rows of every kind, old and recent, named by `tag`. */
async function populate(tag: string): Promise<void> {
  const deliveries = createDeliveryRepository(t.ctx.conn);
  const msg = (key: string) => ({ key: `${tag}:${key}`, to: { channel: 'governance' as const }, card: null, text: `message ${key}` });
  for (const [key, at, outcome] of [
    ['sent-old', ago(40), 'sent'], ['sent-new', ago(5), 'sent'], ['dead-old', ago(200), 'dead'], ['dead-mid', ago(60), 'dead'], ['pending-old', ago(400), null],
  ] as const) {
    await deliveries.enqueue(msg(key), at);
    if (outcome) await deliveries.recordOutcomes([{ key: `${tag}:${key}`, attempt: 1, outcome, refs: {}, at }]);
  }
  const slack = new MongoSlackMessageRepository(t.ctx.conn);
  await slack.save({ key: `${tag}:slack-old`, channel: 'C1', ts: '1.1', subjects: ['APR-1'], at: ago(200) });
  await slack.save({ key: `${tag}:slack-new`, channel: 'C1', ts: '1.2', subjects: ['APR-1'], at: ago(10) });
  await col('teams_messages').insertMany([
    { _id: `${tag}:teams-old`, reference: { conversation: { id: 'a' }, serviceUrl: 'http://x' }, activityId: '1', subjects: [], at: ago(365) },
    { _id: `${tag}:teams-new`, reference: { conversation: { id: 'a' }, serviceUrl: 'http://x' }, activityId: '2', subjects: [], at: ago(1) },
  ]);
  await col('teams_conversations').insertOne({ _id: `person:${tag}`, reference: { conversation: { id: 'b' }, serviceUrl: 'http://x' }, at: ago(900) });
  await col('claims').insertMany([
    { _id: `slack:${tag}:old`, at: ago(8), data: { channel: 'slack' } },
    { _id: `teams:${tag}:new`, at: ago(-3), data: { channel: 'teams' } }, // 5 days old at the sweep
    { _id: `eval-queued:${tag}:old`, at: ago(900) }, // the domain's exactly-once claim: kept
  ]);
  const leases = new MongoEvalLeaseRepository(t.ctx.conn);
  for (const [key, days, state] of [['done-old', 40, 'done'], ['done-new', 2, 'done'], ['running-old', 40, null]] as const) {
    const got = await acquireLease(leases, `run:${tag}:${key}`, {}, { now: () => ago(days), ttlMs: 1000 });
    if (got.kind !== 'acquired') throw new Error('lease not acquired');
    if (state) await got.lease.end(state);
  }
}

beforeAll(async () => {
  const evalRuns = new MongoEvalRunRepository(t.ctx.conn);
  await evalRuns.model.init();
  // Model "kept": R1 old passing (the latest passing), R2 old failed (goes), R3 old failed (the latest).
  await evalRuns.create(run('EV-R1', 'kept', true, ago(500)));
  await evalRuns.create(run('EV-R2', 'kept', false, ago(450)));
  await evalRuns.create(run('EV-R3', 'kept', false, ago(400)));
  // Model "cited": R4 is old and superseded but the model record still refers to it.
  await evalRuns.create(run('EV-R4', 'cited', false, ago(700)));
  await evalRuns.create(run('EV-R5', 'cited', false, ago(600)));
  await evalRuns.create(run('EV-R6', 'cited', false, ago(10)));
  const owner = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Owner');
  await t.ctx.repos.models.create(
    {
      name: 'cited', displayName: 'cited', provider: 'Local', version: '1', hosting: 'self_hosted', modelName: 'cited-v1', allowedDataClasses: ['public'],
      pricePer1kInput: 0, pricePer1kOutput: 0, status: 'approved', ownerId: owner.id, createdAt: NOW, updatedAt: NOW,
      latestEval: { runId: 'EV-R4', suite: 'redteam', at: ago(700), passed: false, passRate: 0, latencyP50Ms: 1, latencyP95Ms: 1, tokensIn: 1, tokensOut: 1, cost: 0 },
    },
    fixtureChange(),
  );
  // A real one-off 'eval-run' job, run to its end by a real worker (for a model that does not exist).
  const worker = await startWorker(t.ctx, { jobs: [evalRunJob], processEvery: 100, dispatchEveryMs: 0, sweepReactionsOnStart: false, lockLifetime: 2000 });
  await agendaEvalQueue(t.ctx.conn.db!).enqueue({ modelName: 'nobody', suite: 'redteam', actorId: 'system', runKey: 'retention:1' });
  await waitFor('the one-off job to finish', async () => (await col('agendaJobs').findOne({ 'data.runKey': 'retention:1', lastFinishedAt: { $ne: null } })) ?? null);
  await worker.stop();
  await populate('a');
});

test('old rows go; recent, in-flight and protected rows stay; the audit trail is untouched; a second sweep is a no-op', async () => {
  const historyBefore = await col('history').countDocuments();
  const report = await sweepRetention(t.ctx.conn, DEFAULT_RETENTION, new Date(NOW.getTime() + 8 * DAY));
  // Seen 8 days from now: sent 48 d ago goes (30), sent 13 d ago stays; dead 208 d goes (180), 68 d stays.
  // evalLeases counts lease generations (the old run's two: taken, done).
  expect(report).toEqual({ deliveries: 1, deadDeliveries: 1, evalJobs: 1, evalRuns: 2, evalLeases: 2, messageRefs: 2, chatClaims: 1 });
  expect(await ids('deliveries')).toEqual(['a:dead-mid', 'a:pending-old', 'a:sent-new']);
  expect(await ids('delivery_outcomes', { key: { $in: ['a:sent-old', 'a:dead-old'] } })).toEqual([]);
  expect(await ids('delivery_queue', { key: 'a:pending-old' })).toHaveLength(1);
  expect((await col('eval_runs').find({}).toArray()).map((r) => r.runId).sort()).toEqual(['EV-R1', 'EV-R3', 'EV-R4', 'EV-R6']);
  expect(await col('agendaJobs').countDocuments({ 'data.runKey': 'retention:1' })).toBe(0);
  expect(await col('agendaJobs').countDocuments({ name: 'eval-run' })).toBeGreaterThan(0); // the recurring occurrence stays
  expect(await ids('slack_messages')).toEqual(['a:slack-new']);
  expect(await ids('teams_messages')).toEqual(['a:teams-new']);
  expect(await ids('teams_conversations')).toEqual(['person:a']);
  expect(await ids('claims', { _id: { $regex: '^(slack|teams|eval-queued):a:' } })).toEqual(['eval-queued:a:old', 'teams:a:new']);
  expect((await col('eval_leases').distinct('runKey')).sort()).toEqual(['run:a:done-new', 'run:a:running-old']);
  // The audit trail: not one entry fewer, and it verifies.
  expect(await col('history').countDocuments()).toBe(historyBefore);
  expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);

  const again = await sweepRetention(t.ctx.conn, DEFAULT_RETENTION, new Date(NOW.getTime() + 8 * DAY));
  expect(Object.values(again).every((n) => n === 0)).toBe(true);
});

test('two workers sweeping at once delete each old row once and leave what one sweep leaves', async () => {
  await populate('b');
  const other = await connectDatabase({ uri: process.env.STEWARD_TEST_MONGODB_URI!, dbName: t.ctx.conn.db!.databaseName });
  try {
    const at = new Date(NOW.getTime() + 8 * DAY);
    const [one, two] = await Promise.all([sweepRetention(t.ctx.conn, DEFAULT_RETENTION, at), sweepRetention(other, DEFAULT_RETENTION, at)]);
    const total = Object.fromEntries(Object.keys(one).map((k) => [k, (one as any)[k] + (two as any)[k]]));
    expect(total).toEqual({ deliveries: 1, deadDeliveries: 1, evalJobs: 0, evalRuns: 0, evalLeases: 2, messageRefs: 2, chatClaims: 1 });
    expect(await ids('deliveries')).toEqual(['a:dead-mid', 'a:pending-old', 'a:sent-new', 'b:dead-mid', 'b:pending-old', 'b:sent-new']);
    expect(await ids('slack_messages')).toEqual(['a:slack-new', 'b:slack-new']);
    expect((await col('eval_leases').distinct('runKey')).sort()).toEqual(['run:a:done-new', 'run:a:running-old', 'run:b:done-new', 'run:b:running-old']);
    expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
  } finally {
    await other.close();
  }
});

test('a retention of 0 keeps a kind for ever', async () => {
  await col('slack_messages').insertOne({ _id: 'c:slack-ancient', channel: 'C1', ts: '9', subjects: [], at: ago(5000) });
  const report = await sweepRetention(t.ctx.conn, { ...DEFAULT_RETENTION, messageRefs: 0 }, NOW);
  expect(report.messageRefs).toBe(0);
  expect(await ids('slack_messages', { _id: 'c:slack-ancient' })).toEqual(['c:slack-ancient']);
});
