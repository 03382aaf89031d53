/**
 * One schedule per recurring job, however many workers start at once (src/scheduler/
 * dedupeSchedules.ts). Measured before the fix: two workers starting together left two Agenda
 * documents for 7 of 13 jobs on FerretDB, and each ran twice per period from then on.
 * And one run per period of a recurring job even when Agenda hands it out twice
 * (src/scheduler/runGuard.ts).
 */
import { ObjectId } from 'mongodb';
import { buildContext, type AppContext } from '../../src/app/context';
import { loadPolicy } from '../../src/playbooks';
import { z } from 'zod';
import { defineJob } from '../../src/scheduler/job';
import { ALL_JOBS } from '../../src/scheduler/jobs';
import { runOncePerPeriod, runPeriodMs } from '../../src/scheduler/runGuard';
import { startWorker, type Worker } from '../../src/scheduler/worker';
import { useTestDatabase } from '../support/db';

jest.setTimeout(120_000);
const db = useTestDatabase();
let ctx: AppContext;
const workers: Worker[] = [];

beforeAll(async () => {
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

const jobs = () => ctx.conn.db!.collection('agendaJobs');
const perName = async (): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const d of await jobs().find({ type: 'single' }, { projection: { name: 1 } }).toArray()) counts[d.name] = (counts[d.name] ?? 0) + 1;
  return counts;
};
// Only the schedules are under test, not the jobs' work: the same jobs, doing nothing. Polling
// stays short: Agenda sets a timer for each job due within one polling period and its stop()
// does not clear them, so a period of an hour kept ~50 timers alive after the test (and Jest's
// worker from exiting).
const QUIET_JOBS = ALL_JOBS.map((j) => ({ ...j, run: async () => undefined }));
const startQuietly = (name: string) =>
  startWorker(ctx, { name, jobs: QUIET_JOBS, processEvery: 200, routeEvents: false, dispatchEveryMs: 0, sweepReactionsOnStart: false, drainTimeoutMs: 1000 });

describe('recurring job schedules', () => {
  it('three workers starting together, three times over, leave exactly one schedule per job', async () => {
    await jobs().deleteMany({});
    const expected = Object.fromEntries(QUIET_JOBS.map((j) => [j.name, 1]));
    for (let round = 0; round < 3; round++) {
      workers.push(...(await Promise.all(['a', 'b', 'c'].map((n) => startQuietly(`${n}${round}`)))));
      expect(await perName()).toEqual(expected);
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    }
  });

  it('a duplicate left by an earlier start is removed, keeping the oldest document', async () => {
    await jobs().deleteMany({});
    workers.push(await startQuietly('first'));
    const original = await jobs().findOne({ name: 'reviews.sweep', type: 'single' });
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    // As a start before this fix left it: a second document of the same schedule, created later
    // (ObjectIds within one second are ordered by their random part, hence a later second).
    const { _id: _drop, ...copy } = original!;
    await jobs().insertOne({ ...copy, _id: ObjectId.createFromTime(original!._id.getTimestamp().getTime() / 1000 + 10) });
    expect((await perName())['reviews.sweep']).toBe(2);

    workers.push(await startQuietly('second'));
    const left = await jobs().find({ name: 'reviews.sweep', type: 'single' }).toArray();
    expect(left.map((d) => d._id.toHexString())).toEqual([original!._id.toHexString()]);
    // One-off runs of a job share its name and are not schedules: they are left alone.
    await jobs().insertOne({ name: 'reviews.sweep', type: 'normal', data: {}, nextRunAt: new Date(Date.now() + 3_600_000), priority: 0 });
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    workers.push(await startQuietly('third'));
    expect(await jobs().countDocuments({ name: 'reviews.sweep' })).toBe(2);
  });
});

describe('one run per period', () => {
  it('periods: the interval up to 10 minutes, cron schedules 10 minutes, frequent jobs not guarded', () => {
    expect(runPeriodMs('1 hour')).toBe(600_000);
    expect(runPeriodMs('5 minutes')).toBe(300_000);
    expect(runPeriodMs('0 3 * * *')).toBe(600_000);
    expect(runPeriodMs('1 minute')).toBeNull();
    expect(runPeriodMs('15 seconds')).toBeNull();
  });

  it('two runs of one period at once: one runs; a failed run gives the period back; the next period runs', async () => {
    const claims = ctx.repos.claims;
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 50));
    };
    const at = new Date('2026-12-04T10:03:00Z');
    const both = await Promise.all([runOncePerPeriod(claims, 'guard.a', '1 hour', at, slow), runOncePerPeriod(claims, 'guard.a', '1 hour', new Date('2026-12-04T10:09:59Z'), slow)]);
    expect(both.sort()).toEqual([false, true]);
    expect(runs).toBe(1);

    await expect(runOncePerPeriod(claims, 'guard.b', '1 hour', at, async () => Promise.reject(new Error('database went away')))).rejects.toThrow('went away');
    expect(await runOncePerPeriod(claims, 'guard.b', '1 hour', at, slow)).toBe(true);
    expect(await runOncePerPeriod(claims, 'guard.a', '1 hour', new Date('2026-12-04T10:10:00Z'), slow)).toBe(true);
    expect(runs).toBe(3);
  });

  it('a recurring job Agenda hands out twice in one period runs once; a one-off run of it still runs', async () => {
    await jobs().deleteMany({});
    let runs = 0;
    const counted = defineJob({ name: 'test.counted', every: '30 minutes', payload: z.object({}).strict(), run: async () => ++runs });
    const w = await startWorker(ctx, { name: 'guarded', jobs: [counted], processEvery: 100, routeEvents: false, dispatchEveryMs: 0, sweepReactionsOnStart: false, drainTimeoutMs: 1000 });
    workers.push(w);
    const waitFor = async (cond: () => boolean, what: string) => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!cond()) throw new Error(`timed out waiting for ${what}`);
    };
    await waitFor(() => runs === 1, 'the first run');
    // As FerretDB's non-atomic lock can do: the same occurrence due again, as a second document.
    const original = (await jobs().findOne({ name: 'test.counted', type: 'single' }))!;
    const { _id: _drop, ...copy } = original;
    await jobs().insertOne({ ...copy, _id: new ObjectId(), nextRunAt: new Date(Date.now() - 1000), lockedAt: null, lastFinishedAt: null });
    await new Promise((r) => setTimeout(r, 1500));
    expect(runs).toBe(1);
    // A one-off run (agenda.now) is not a period's run: it runs.
    await w.agenda.now('test.counted', {});
    await waitFor(() => runs === 2, 'the one-off run');
  });
});
