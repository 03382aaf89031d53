/**
 * Issue 16, graceful shutdown: an evaluation run interrupted by a crash (kill -9) or by SIGTERM
 * is resumed by another worker on its own, recorded exactly once, never silently dropped.
 * Run leases (src/evals/service/evalLease.ts) are unique inserts of the next generation: the
 * holder renews, a dead holder's lease runs out, `eval-run.resume` queues the request again and
 * the next worker takes the lease over; concurrent takeovers have one winner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Person, RegisteredModel } from '../../src/domain/types';
import { EndpointLimiters } from '../../src/evals/limiter';
import { acquireLease } from '../../src/evals/service/evalLease';
import { agendaEvalQueue, EVAL_RUN_JOB, type EvalRunRequest } from '../../src/evals/service/evalQueue';
import { bindEvalRuntime, createEvalRuntime, evalLeasesOn, type EvalRuntime } from '../../src/evals/service/evalRuntime';
import { runLeaseKey } from '../../src/evals/service/executeEvalRun';
import { evalResumeJob } from '../../src/scheduler/jobs/evalResume.job';
import { evalRunJob } from '../../src/scheduler/jobs/evalRun.job';
import { startWorker, type Worker } from '../../src/scheduler/worker';
import { MongoEvalLeaseRepository } from '../../src/store/evalLeases.repo';
import { MongoEvalRunRepository } from '../../src/store/evalRuns.repo';
import { fixtureChange } from '../support/changes';
import { useTestContext } from '../support/context';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { registerTestPerson } from '../support/people';
import { carefulAgent, waitFor } from './support';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'support/evalCrashChild.ts');
// Renewed every second; on a loaded machine a shorter lease expires under a live holder (harmless, but
// it makes the number of takeovers vary).
const LEASE_MS = 3000;

const t = useTestContext();
const fake = new FakeOpenAI({ latencyMs: 150 });
let owner: Person;
let rt: EvalRuntime;
const workers: Worker[] = [];
const children = new Set<ChildProcess>();
const jobResults: any[] = [];
const failures: unknown[] = [];

async function registerModel(name: string): Promise<RegisteredModel> {
  const now = t.clock.now();
  const { record } = await t.ctx.repos.models.create(
    {
      name, displayName: name, provider: 'Local', version: '1', hosting: 'self_hosted', baseUrl: fake.url, modelName: `${name}-v1`,
      allowedDataClasses: ['public', 'internal'], pricePer1kInput: 0.001, pricePer1kOutput: 0.002, status: 'approved',
      ownerId: owner.id, createdAt: now, updatedAt: now,
    },
    fixtureChange(),
  );
  return record;
}

const requestsFor = (model: string) => fake.requests.filter((r) => r.model === `${model}-v1`).length;

async function worker(name: string): Promise<Worker> {
  const w = await startWorker(t.ctx, {
    name,
    jobs: [evalRunJob, evalResumeJob],
    every: { 'eval-run.resume': '1 second' },
    processEvery: 100,
    // Agenda cancels a job running past its lock lifetime: longer than a run here on a loaded machine.
    lockLifetime: 12_000,
    concurrency: 2,
    dispatchEveryMs: 0,
    drainTimeoutMs: 300,
    sweepReactionsOnStart: false,
    logger: { info: (o: any) => o.result && jobResults.push({ job: o.job, ...o.result }), error: (o: any) => failures.push(o) },
  });
  workers.push(w);
  return w;
}

beforeAll(async () => {
  await fake.start();
  fake.setBehaviour(carefulAgent);
  owner = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Model Owner');
  const evalRuns = new MongoEvalRunRepository(t.ctx.conn);
  await evalRuns.model.init();
  rt = bindEvalRuntime(
    t.ctx.conn,
    createEvalRuntime(
      { evalRuns, queue: agendaEvalQueue(t.ctx.conn.db!), leases: evalLeasesOn(t.ctx.conn) },
      { limiters: new EndpointLimiters(), concurrency: 1, endpointBusyRetryMs: 200, retry: { maxRetries: 0 }, leaseMs: LEASE_MS },
    ),
  );
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const w of workers) await w.stop();
  await fake.close();
  // Agenda leaves each finished job's liveness check (a lockLifetime/2 delay) pending: let them lapse.
  await new Promise((r) => setTimeout(r, 6100));
});

test('two workers taking one expired lease at once: exactly one wins; the loser of a takeover cannot renew', async () => {
  const a = new MongoEvalLeaseRepository(t.ctx.conn);
  const b = new MongoEvalLeaseRepository(t.ctx.conn);
  const key = runLeaseKey('unit:1');
  const first = await Promise.all([acquireLease(a, key, {}, { holder: 'A', ttlMs: 200 }), acquireLease(b, key, {}, { holder: 'B', ttlMs: 200 })]);
  expect(first.map((r) => r.kind).sort()).toEqual(['acquired', 'held']);
  const holder = first.find((r) => r.kind === 'acquired')!;
  if (holder.kind !== 'acquired') throw new Error('unreachable');
  expect(await holder.lease.renew()).toBe(true);
  await new Promise((r) => setTimeout(r, 300)); // the holder stalls past its lease
  const takeovers = await Promise.all([acquireLease(a, key, {}, { holder: 'C', ttlMs: 5000 }), acquireLease(b, key, {}, { holder: 'D', ttlMs: 5000 })]);
  expect(takeovers.map((r) => r.kind).sort()).toEqual(['acquired', 'held']);
  // The stalled holder comes back: its renewal is the generation the new holder already wrote.
  expect(await holder.lease.renew()).toBe(false);
  expect(holder.lease.lost).toBe(true);
  const head = await a.head(key);
  expect(head).toMatchObject({ generation: 3, attempt: 2, state: 'running' });
  expect(['C', 'D']).toContain(head!.holder);
});

test('a worker killed with -9 mid-run: the lease runs out, another worker resumes the run and records it once', async () => {
  await registerModel('crash-agent');
  const request: EvalRunRequest = { modelName: 'crash-agent', suite: 'redteam', actorId: owner.id, runKey: 'test:crash-agent:1' };
  const plan = { uri: process.env.STEWARD_TEST_MONGODB_URI, dbName: t.ctx.conn.db!.databaseName, leaseMs: LEASE_MS, request };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', EVAL_CRASH_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  // Mid-run: a few cases answered, most not (14 cases, one at a time, 150 ms each).
  await waitFor('the child to be a few cases into its run', async () => requestsFor('crash-agent') >= 3 || null, 60_000).catch((e) => {
    throw new Error(`${e.message}\nchild output:\n${out}`);
  });
  const leases = evalLeasesOn(t.ctx.conn);
  const before = await leases.head(runLeaseKey(request.runKey));
  expect(before).toMatchObject({ state: 'running', attempt: 1 });
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
  expect(out).not.toContain('"t":"end"'); // killed mid-run, not after
  expect(await rt.evalRuns.list('crash-agent')).toHaveLength(0);

  // In between: the dead worker's lease is still running until it runs out; nothing is recorded.
  const answeredByChild = requestsFor('crash-agent');
  await worker('survivor');
  const [run] = await waitFor('the run to be resumed and recorded', async () => {
    const runs = await rt.evalRuns.list('crash-agent');
    return runs.length ? runs : null;
  }, 60_000);
  expect(run!.cases).toHaveLength(14);
  const head = await waitFor('the lease to end', async () => {
    const h = await leases.head(runLeaseKey(request.runKey));
    return h?.state === 'running' ? null : h;
  });
  expect(head).toMatchObject({ state: 'done' });
  expect(head!.attempt).toBeGreaterThanOrEqual(2);
  // Restarted from the first case (partial results of the dead worker are not trusted): all 14
  // asked again, once per later attempt at most (on a loaded machine a lease can also run out
  // under the survivor itself, which then restarts once more; still one run is recorded).
  const askedAgain = requestsFor('crash-agent') - answeredByChild;
  expect(askedAgain).toBeGreaterThanOrEqual(14);
  expect(askedAgain).toBeLessThanOrEqual(14 * (head!.attempt - 1));
  expect(head!.holder).not.toBe(before!.holder);
  // Queued again once per interrupted lease generation (once, unless a takeover itself stalled).
  const resumed = jobResults.filter((j) => j.job === 'eval-run.resume' && j.resumed?.includes(request.runKey));
  expect(resumed.length).toBeGreaterThanOrEqual(1);
  expect(resumed.length).toBeLessThan(head!.attempt);
  // A second resume sweep and a re-delivered job change nothing.
  await waitFor('another resume sweep', async () => jobResults.filter((j) => j.job === 'eval-run.resume').length > resumed.length + 1 || null);
  await rt.queue.enqueue(request);
  await waitFor('the re-delivered job', async () => jobResults.some((j) => j.job === EVAL_RUN_JOB && j.outcome === 'duplicate' && j.runKey === request.runKey) || null);
  expect(await rt.evalRuns.list('crash-agent')).toHaveLength(1);
  expect(failures).toEqual([]);
});

test('SIGTERM mid-run (worker stop): the lease is released at once, another worker resumes without waiting for expiry, one run recorded', async () => {
  await registerModel('term-agent');
  const request: EvalRunRequest = { modelName: 'term-agent', suite: 'redteam', actorId: owner.id, runKey: 'test:term-agent:1' };
  for (const w of workers.splice(0)) await w.stop();
  const first = await worker('stopping');
  await rt.queue.enqueue(request);
  await waitFor('the first worker to be mid-run', async () => requestsFor('term-agent') >= 3 || null, 60_000);
  const leases = evalLeasesOn(t.ctx.conn);
  const running = await leases.head(runLeaseKey(request.runKey));
  await first.stop();
  const released = await leases.head(runLeaseKey(request.runKey));
  expect(released).toMatchObject({ state: 'released', attempt: 1, holder: running!.holder });

  await worker('next');
  const [run] = await waitFor('the run to be resumed and recorded', async () => {
    const runs = await rt.evalRuns.list('term-agent');
    return runs.length ? runs : null;
  }, 60_000);
  expect(run!.cases).toHaveLength(14);
  await waitFor('the lease to end', async () => (await leases.head(runLeaseKey(request.runKey)))?.state !== 'running' || null);
  const done = await leases.head(runLeaseKey(request.runKey));
  expect(done).toMatchObject({ state: 'done' });
  expect(done!.attempt).toBeGreaterThanOrEqual(2);
  // The stopped worker's run went on in the background and found its lease gone: it recorded nothing.
  await waitFor('the interrupted run to notice', async () => jobResults.some((j) => j.job === EVAL_RUN_JOB && j.outcome === 'interrupted' && j.runKey === request.runKey) || null, 30_000);
  expect(await rt.evalRuns.list('term-agent')).toHaveLength(1);
  expect(failures).toEqual([]);
});
