/**
 * /readyz of a worker follows its scheduler and its outbox dispatcher, not only the database:
 * real Agenda and a real dispatcher on the real database; the outbox's queue read is made to
 * fail for a while, then heals. Job runs and failures are counted per job in /metrics.
 */
import { z } from 'zod';
import { buildContext, type AppContext } from '../../src/app/context';
import type { DeliveryRepository } from '../../src/domain/ports';
import { registry } from '../../src/observability/metrics';
import { loadPolicy } from '../../src/playbooks';
import { defineJob } from '../../src/scheduler/job';
import { schedulerModule } from '../../src/scheduler/scheduler.module';
import { startWorker } from '../../src/scheduler/worker';
import { buildServer } from '../../src/server/buildServer';
import { createDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestDatabase } from '../support/db';
import { eventually, testConfig } from '../foundation/support';

jest.setTimeout(90_000);

const db = useTestDatabase();
let ctx: AppContext;
beforeAll(async () => {
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
});

const okJob = defineJob({ name: 'test-ok', every: '1 second', payload: z.object({}).strict(), run: async () => 'fine' });
const failJob = defineJob({
  name: 'test-fail',
  every: '1 second',
  payload: z.object({}).strict(),
  run: async () => {
    throw new Error('this job always fails');
  },
});

async function runs(job: string, outcome: string): Promise<number> {
  const m = (await registry.getSingleMetric('steward_scheduler_job_runs_total')!.get()).values.find((v) => v.labels.job === job && v.labels.outcome === outcome);
  return m?.value ?? 0;
}

it('is healthy while passes finish, unready after 3 failed passes, healthy again once they succeed, and stopped after stop()', async () => {
  const real = createDeliveryRepository(db.conn);
  let failing = false;
  const deliveries: DeliveryRepository = Object.create(real, {
    due: { value: (now: Date, limit: number) => (failing ? Promise.reject(new Error('queue unreadable')) : real.due(now, limit)) },
  });
  const worker = await startWorker(ctx, { deliveries, jobs: [okJob, failJob], processEvery: 200, dispatchEveryMs: 100, routeEvents: false, sweepReactionsOnStart: false });
  try {
    expect(worker.health()).toBeNull();
    // Job runs and failures, per job, from Agenda's own events.
    await eventually(async () => ((await runs('test-ok', 'ok')) >= 1 && (await runs('test-fail', 'failed')) >= 1 ? true : undefined), 20_000, 'both jobs to run');
    expect(await runs('test-fail', 'ok')).toBe(0);

    failing = true;
    const reason = await eventually(async () => worker.health() ?? undefined, 10_000, 'the worker to report the dispatcher failing');
    expect(reason).toMatch(/^outbox dispatcher: \d+ passes failed in a row \(queue unreadable\)$/);
    failing = false;
    await eventually(async () => (worker.health() === null ? true : undefined), 10_000, 'the worker to be healthy again');
  } finally {
    await worker.stop();
  }
  expect(worker.health()).toBe('scheduler: stopped');
});

it("a worker process's /readyz asks its scheduler module", async () => {
  const server = await buildServer(testConfig(db.uri, db.dbName, { role: 'worker' }), { conn: db.conn, modules: [schedulerModule], buildDomain: async () => ctx });
  try {
    const res = await fetch(`${server.url}/readyz`);
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { status: 'ready' } });
  } finally {
    await server.stop({ drainMs: 100 });
  }
});
