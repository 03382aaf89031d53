/**
 * The scheduler on real Agenda and the real database, on real time with short intervals:
 * two workers never send a reminder twice, and a worker that stops mid-job (a hung job whose
 * lock expires, a send that never returns) loses nothing: another worker finishes the work.
 * Changes whose writer died before their consequences are finished by the worker (at start
 * and by the `records.react` job), and `audit.checkpoint` signs the trail.
 */
import { buildContext, type AppContext } from '../../src/app/context';
import { ALL_JOBS, auditCheckpointJob, reactionsSweepJob, reviewsSweepJob } from '../../src/scheduler/jobs';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { killSwitchReason } from '../../src/domain/incidents/killSwitch';
import { startWorker, type Worker } from '../../src/scheduler/worker';
import { CompositeNotifier } from '../../src/notifications/compositeNotifier';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import { loadPolicy } from '../../src/playbooks';
import { addDays } from '../../src/domain/schedules/dates';
import { useTestDatabase } from '../support/db';
import { duplicates, person, RecordingNotifier, useCase } from './fixtures';
import { startFrozenWorker } from './support/startFrozenWorker';

jest.setTimeout(60_000);
const db = useTestDatabase();
let ctx: AppContext;
let deliveries: MongoDeliveryRepository;
const workers: Worker[] = [];

beforeAll(async () => {
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy() }); // system clock: Agenda runs on real time
  deliveries = createDeliveryRepository(db.conn);
  await deliveries.init();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await ctx.conn.db!.collection('agendaJobs').deleteMany({});
});

const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
};

const start = async (name: string, notifier: RecordingNotifier, extra: Parameters<typeof startWorker>[1] = {}) => {
  const router = new CompositeNotifier(ctx.repos.people).register('slack', notifier);
  const w = await startWorker(ctx, { name, router, deliveries, processEvery: 100, dispatchEveryMs: 100, routeEvents: false, drainTimeoutMs: 1000, every: { 'reviews.sweep': '1 second' }, jobs: [reviewsSweepJob], ...extra });
  workers.push(w);
  return w;
};

/** Use cases whose review is due today, each with its own Slack-reachable Responsible. */
async function dueToday(count: number): Promise<string[]> {
  const keys: string[] = [];
  const cadence = ctx.policy.cadences.find((c) => c.tier === 'high')!;
  for (let i = 0; i < count; i++) {
    const resp = await person(ctx.repos, { slackUserId: `U_${Math.random().toString(36).slice(2, 9)}` });
    // Created one cadence ago (minus an hour): the first review fell due an hour ago.
    const created = new Date(addDays(new Date(), -cadence.everyDays).getTime() - 3_600_000);
    const uc = await useCase(ctx.repos, { ownerId: resp.id, tier: 'high', createdAt: created, responsible: [resp.id] });
    const dueAt = addDays(created, cadence.everyDays);
    keys.push(`review.due:${uc.key}#1@${dueAt.toISOString().slice(0, 10)}:${resp.id}`);
  }
  return keys;
}

describe('scheduler worker (Agenda)', () => {
  it('two workers running the same jobs deliver every reminder exactly once', async () => {
    const expected = await dueToday(8);
    const slack = new RecordingNotifier();
    await start('w1', slack);
    await start('w2', slack);
    await waitFor(() => expected.every((k) => slack.keys().includes(k)));
    await new Promise((r) => setTimeout(r, 2500)); // more sweeps and dispatches run meanwhile
    const mine = slack.keys().filter((k) => expected.includes(k));
    expect(duplicates(mine)).toEqual([]);
    expect(mine.sort()).toEqual([...expected].sort());
    for (const k of expected) expect((await deliveries.get(k))!.status).toBe('sent');
  });

  it('a job whose worker froze holding its lock is taken over by another worker: the reminder is delivered once', async () => {
    const expected = await dueToday(1);
    const frozen = await startFrozenWorker(db.uri, db.dbName);
    try {
      frozen.process.kill('SIGSTOP'); // holds its lock on reviews.sweep; can neither finish nor retry
      const slack = new RecordingNotifier();
      await start('rescuer', slack, { lockLifetime: 1000 });
      await waitFor(() => slack.keys().includes(expected[0]!));
      await new Promise((r) => setTimeout(r, 2000));
      expect(slack.keys().filter((k) => k === expected[0])).toHaveLength(1);
      expect((await deliveries.get(expected[0]!))!.status).toBe('sent');
    } finally {
      frozen.process.kill('SIGKILL');
    }
  });

  it('a send that never returns (worker died mid-send) is retried by another worker after its lease: delivered once', async () => {
    const p = await person(ctx.repos, { slackUserId: 'U_LEASE' });
    const key = `test.lease:${Date.now()}`;
    await deliveries.enqueue({ key, to: { personId: p.id }, card: { title: 't', text: 't' }, text: 'lease test' }, new Date());
    const dead = new RecordingNotifier();
    dead.hang = true;
    await start('dying', dead, { jobs: [], dispatcher: { leaseMs: 1500 } });
    await waitFor(() => dead.calls.some((m) => m.key === key));
    const healthy = new RecordingNotifier();
    await start('healthy', healthy, { jobs: [], dispatcher: { leaseMs: 1500 } });
    await waitFor(() => healthy.keys().includes(key));
    await new Promise((r) => setTimeout(r, 1000));
    expect(healthy.keys().filter((k) => k === key)).toHaveLength(1);
    expect(dead.sent).toHaveLength(0);
    expect(await deliveries.get(key)).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

/**
 * A use case with an incident whose writer died right after storing it (version 1 with its
 * events, the kill switch pulled, nothing run), written `agoMs` in the past.
 */
async function crashedIncident(agoMs: number) {
  const owner = await person(ctx.repos, { slackUserId: `U_${Math.random().toString(36).slice(2, 9)}` });
  const uc = await useCase(ctx.repos, { ownerId: owner.id, createdAt: new Date(Date.now() - agoMs - 60_000) });
  const at = new Date(Date.now() - agoMs);
  const { record } = await ctx.repos.incidents.create(
    {
      useCaseKey: uc.key,
      category: 'data_leakage',
      severity: 'sev2',
      title: 'Customer data in answers',
      description: 'The assistant quoted another customer.',
      redactions: [],
      reporterId: owner.id,
      ownerId: owner.id,
      status: 'reported',
      timeline: [{ at, by: owner.id, kind: 'reported', text: 'Reported.' }],
      killSwitch: true,
      createdAt: at,
      updatedAt: at,
    },
    (key) => ({ at, actorId: owner.id, action: 'incident.reported', data: { killSwitch: true }, events: [{ type: 'incident.reported', at, actorId: owner.id, incidentKey: key, ownerId: owner.id, severity: 'sev2', useCaseKey: uc.key }] }),
  );
  return { uc, incident: record, owner };
}

describe('keeping the record whole', () => {
  it('schedules the reaction sweep every 15 seconds and the audit checkpoint every 5 minutes', () => {
    expect(ALL_JOBS).toEqual(expect.arrayContaining([reactionsSweepJob, auditCheckpointJob]));
    expect(reactionsSweepJob).toMatchObject({ name: 'records.react', every: '15 seconds' });
    expect(auditCheckpointJob).toMatchObject({ name: 'audit.checkpoint', every: '5 minutes' });
  });

  it('a worker that starts finishes what a dead writer left: the kill switch applied and the incident announced, once', async () => {
    const { uc, incident, owner } = await crashedIncident(60_000);
    expect((await ctx.repos.useCases.get(uc.key))!.stage).toBe('production');
    const w = await startWorker(ctx, { name: 'restarted', deliveries, jobs: [], dispatchEveryMs: 0, drainTimeoutMs: 1000 });
    workers.push(w);
    await w.startupSweep;
    const stored = (await ctx.repos.useCases.get(uc.key))!;
    expect(stored.stage).toBe('suspended');
    expect(stored.stageHistory.filter((h) => h.reason === killSwitchReason(incident.key))).toHaveLength(1);
    expect(await deliveries.get(`incident.reported:${incident.key}:${owner.id}`)).toMatchObject({ status: 'pending' });
    expect(await deliveries.get(`incident.reported:${incident.key}:channel`)).toMatchObject({ status: 'pending' });
  });

  it('the records.react job finishes a crashed change and audit.checkpoint signs the trail', async () => {
    const w = await startWorker(ctx, {
      name: 'sweeper',
      deliveries,
      jobs: [reactionsSweepJob, auditCheckpointJob],
      every: { 'records.react': '1 second', 'audit.checkpoint': '1 second' },
      processEvery: 100,
      dispatchEveryMs: 0,
      drainTimeoutMs: 1000,
      sweepReactionsOnStart: false,
    });
    workers.push(w);
    const { uc } = await crashedIncident(30_000);
    await waitFor(async () => (await ctx.repos.useCases.get(uc.key))!.stage === 'suspended');
    await waitFor(async () => {
      const cp = await ctx.repos.audit.latestCheckpoint();
      return !!cp?.heads.some((h) => h.stream === `usecase:${uc.key}` && h.version === 2);
    });
    expect(await verifyAudit(ctx.repos.audit)).toMatchObject({ ok: true, checkpoint: expect.anything() });
  });
});
