/**
 * The scheduled sweep on the real database and the real Agenda job collection (no worker runs
 * here, so queued jobs stay queued and can be counted): which models are due, one queued run per
 * model, suite and period however often the sweep runs, and the next period queues again.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EvalRun } from '../../src/domain/evals/types';
import type { RegisteredModel } from '../../src/domain/types';
import { DEFAULT_EVALS_DIR, parseThresholds } from '../../src/evals/loadSuites';
import { AGENDA_COLLECTION, agendaEvalQueue, EVAL_RUN_JOB } from '../../src/evals/service/evalQueue';
import { bindEvalRuntime, createEvalRuntime, type EvalRuntime } from '../../src/evals/service/evalRuntime';
import { scheduleEvals, scheduledRunKey, schedulePeriod } from '../../src/evals/service/scheduleEvals';
import { startEvalRun } from '../../src/evals/service/startEvalRun';
import { scheduledEvalsJob } from '../../src/scheduler/jobs/scheduledEvals.job';
import { MongoEvalRunRepository } from '../../src/store/evalRuns.repo';
import { fixtureChange } from '../support/changes';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';

const t = useTestContext();
let rt: EvalRuntime;
let ownerId: string;

const queuedJobs = async () =>
  (await t.ctx.conn.db!.collection(AGENDA_COLLECTION).find({ name: EVAL_RUN_JOB }).toArray()).map((j) => j.data as { runKey: string; modelName: string; suite: string; actorId: string });

async function model(name: string, over: Partial<RegisteredModel> = {}) {
  const now = t.clock.now();
  return t.ctx.repos.models.create(
    {
      name, displayName: name, provider: 'Local', version: '1', hosting: 'self_hosted', baseUrl: 'http://127.0.0.1:9/v1', modelName: name,
      allowedDataClasses: ['public'], pricePer1kInput: 0, pricePer1kOutput: 0, status: 'approved', ownerId, createdAt: now, updatedAt: now, ...over,
    },
    fixtureChange(),
  );
}

// The shipped suites with both of them scheduled weekly (the shipped thresholds schedule only redteam).
const dir = mkdtempSync(path.join(tmpdir(), 'steward-evals-'));
for (const f of ['customer-service-golden.yaml', 'redteam.yaml']) copyFileSync(path.join(DEFAULT_EVALS_DIR, f), path.join(dir, f));
writeFileSync(
  path.join(dir, 'thresholds.yaml'),
  `suites:
  customer-service-golden: { minPassRate: 0.9, gate: { maxAgeDays: 30 }, evalSchedule: { everyDays: 7 } }
  redteam: { minPassRate: 0.85, gate: { maxAgeDays: 30 }, evalSchedule: { everyDays: 7 } }
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  ownerId = (await registerTestPerson(t.ctx, ['llm_product_manager'])).id;
  const evalRuns = new MongoEvalRunRepository(t.ctx.conn);
  await evalRuns.model.init();
  rt = bindEvalRuntime(t.ctx.conn, createEvalRuntime({ evalRuns, queue: agendaEvalQueue(t.ctx.conn.db!) }, { suitesDir: dir }));
  await model('sched-approved');
  await model('sched-restricted', { status: 'restricted' });
  await model('sched-proposed', { status: 'proposed' });
  await model('sched-banned', { status: 'banned' });
  await model('sched-no-endpoint', { baseUrl: undefined });
  await model('sched-fresh');
  // sched-fresh ran the red-team suite yesterday: only its golden suite is due.
  const at = new Date(t.clock.now().getTime() - 86_400_000);
  const fresh: EvalRun = {
    runId: 'EV-fresh-1', modelName: 'sched-fresh', suite: 'redteam', suiteKind: 'redteam', endpoint: { baseUrl: 'http://127.0.0.1:9/v1', modelName: 'sched-fresh' },
    startedAt: at, finishedAt: at, cases: [], assessment: { passed: true, reasons: [] },
    metrics: { cases: 1, passed: 1, failed: 0, errored: 0, passRate: 1, latencyP50Ms: 1, latencyP95Ms: 1, tokensIn: 1, tokensOut: 1, cost: 0, judgeTokensIn: 0, judgeTokensOut: 0, durationMs: 1 },
  };
  await rt.evalRuns.create(fresh);
});

test('the sweep queues one run per due model and suite, once per period, however often it runs', async () => {
  const [a, b] = await Promise.all([scheduleEvals(t.ctx, rt), scheduleEvals(t.ctx, rt)]);
  // The job as the worker calls it: it finds the runtime from the context's connection.
  const c = (await scheduledEvalsJob.run({ ctx: { ...t.ctx, deliveries: undefined as never }, dispatcher: undefined as never }, {})) as Awaited<ReturnType<typeof scheduleEvals>>;

  const period = schedulePeriod(t.clock.now(), 7).start;
  const expected = [
    scheduledRunKey('sched-approved', 'customer-service-golden', period),
    scheduledRunKey('sched-approved', 'redteam', period),
    scheduledRunKey('sched-restricted', 'customer-service-golden', period),
    scheduledRunKey('sched-restricted', 'redteam', period),
    scheduledRunKey('sched-fresh', 'customer-service-golden', period),
  ].sort();
  expect([...a.queued, ...b.queued, ...c.queued].sort()).toEqual(expected);
  expect(a.alreadyQueued + b.alreadyQueued + c.alreadyQueued).toBe(10);
  expect(c.upToDate).toBe(1);

  const jobs = await queuedJobs();
  expect(jobs.map((j) => j.runKey).sort()).toEqual(expected);
  expect(new Set(jobs.map((j) => j.actorId))).toEqual(new Set(['system']));
});

test('the next period queues again; a model evaluated meanwhile is left alone', async () => {
  t.clock.advanceDays(7);
  const r1 = await scheduleEvals(t.ctx, rt);
  const r2 = await scheduleEvals(t.ctx, rt);
  expect(r1.queued).toHaveLength(6); // sched-fresh's red-team run is now 8 days old
  expect(r2.queued).toEqual([]);
  expect(await queuedJobs()).toHaveLength(11);
});

test('chat requests are checked before queueing', async () => {
  const actor = (await t.ctx.repos.people.findById(ownerId))!;
  await expect(startEvalRun(t.ctx, rt, { actor, modelName: 'sched-approved', suite: 'nope' })).rejects.toThrow(/suite: expected one of customer-service-golden, redteam/);
  await expect(startEvalRun(t.ctx, rt, { actor, modelName: 'sched-no-endpoint', suite: 'redteam' })).rejects.toThrow(/has no baseUrl/);
  const card = await startEvalRun(t.ctx, rt, { actor, modelName: 'sched-approved', suite: 'redteam' });
  expect(card.title).toBe('Evaluation of sched-approved on redteam queued');
  expect((await queuedJobs()).filter((j) => j.runKey.startsWith('chat:sched-approved:redteam:'))).toHaveLength(1);
});

test('evalSchedule is validated with the thresholds file; the shipped file schedules the red-team suite', () => {
  const shipped = parseThresholds('thresholds.yaml', readFileSync(path.join(DEFAULT_EVALS_DIR, 'thresholds.yaml'), 'utf8'));
  expect(shipped.redteam!.evalSchedule).toEqual({ everyDays: 7 });
  const ok = parseThresholds('thresholds.yaml', 'suites:\n  s:\n    minPassRate: 0.9\n    gate: { maxAgeDays: 30 }\n    evalSchedule: { everyDays: 7 }\n');
  expect(ok.s!.evalSchedule).toEqual({ everyDays: 7 });
  expect(() => parseThresholds('thresholds.yaml', 'suites:\n  s:\n    minPassRate: 0.9\n    gate: { maxAgeDays: 30 }\n    evalSchedule: { everyDays: 0 }\n')).toThrow(
    /thresholds.yaml: suite s: evalSchedule.everyDays: /,
  );
});
