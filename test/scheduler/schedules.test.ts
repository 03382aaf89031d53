/**
 * One schedule per recurring job, however many workers start at once (src/scheduler/
 * dedupeSchedules.ts). Measured before the fix: two workers starting together left two Agenda
 * documents for 7 of 13 jobs on FerretDB, and each ran twice per period from then on.
 */
import { ObjectId } from 'mongodb';
import { buildContext, type AppContext } from '../../src/app/context';
import { loadPolicy } from '../../src/playbooks';
import { ALL_JOBS } from '../../src/scheduler/jobs';
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
// Polling off (processEvery is long): only the schedules are under test, not the jobs' work.
const startQuietly = (name: string) =>
  startWorker(ctx, { name, jobs: ALL_JOBS, processEvery: '1 hour', routeEvents: false, dispatchEveryMs: 0, sweepReactionsOnStart: false, drainTimeoutMs: 1000 });

describe('recurring job schedules', () => {
  it('three workers starting together, three times over, leave exactly one schedule per job', async () => {
    await jobs().deleteMany({});
    const expected = Object.fromEntries(ALL_JOBS.map((j) => [j.name, 1]));
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
