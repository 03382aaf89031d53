import { CompositeNotifier } from '../../src/notifications/compositeNotifier';
import { Dispatcher, singleChannel } from '../../src/notifications/dispatcher';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext } from '../support/context';
import { duplicates, person, RecordingNotifier } from '../scheduler/fixtures';

const t = useTestContext();
let deliveries: MongoDeliveryRepository;

beforeAll(async () => {
  deliveries = createDeliveryRepository(t.ctx.conn);
  await deliveries.init();
});

const msg = (key: string, personId = 'nobody') => ({ key, to: { personId }, card: { title: key, text: 'hi' }, text: `text ${key}` });

describe('outbox', () => {
  it('queues a key once: a second enqueue is a no-op', async () => {
    expect(await deliveries.enqueue(msg('dup-1'), t.clock.now())).toBe(true);
    expect(await deliveries.enqueue({ ...msg('dup-1'), text: 'changed' }, t.clock.now())).toBe(false);
    const d = await deliveries.get('dup-1');
    expect(d).toMatchObject({ key: 'dup-1', status: 'pending', attempts: 0, text: 'text dup-1', refs: {} });
    expect((await deliveries.due(t.clock.now(), 1000)).filter((q) => q.key === 'dup-1')).toEqual([{ key: 'dup-1', attempt: 1, nextAttemptAt: t.clock.now(), batch: expect.any(String) }]);
    expect((await deliveries.list()).filter((x) => x.key === 'dup-1')).toHaveLength(1);
  });

  it('marks a failed attempt with lastError, retries after backoff and gives up as dead after N attempts', async () => {
    const notifier = new RecordingNotifier();
    notifier.failWith = 'slack said channel_not_found';
    const dispatcher = new Dispatcher(
      { deliveries, clock: t.clock, router: singleChannel(notifier, 'slack') },
      { maxAttempts: 3, baseBackoffMs: 60_000 },
    );
    await deliveries.enqueue(msg('fail-1'), t.clock.now());
    expect((await dispatcher.dispatchDue()).failed).toBeGreaterThanOrEqual(1);
    let d = (await deliveries.get('fail-1'))!;
    expect(d.status).toBe('failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toContain('channel_not_found');
    expect(d.nextAttemptAt!.getTime()).toBe(t.clock.now().getTime() + 60_000);

    // Not due yet: nothing is attempted.
    await dispatcher.dispatchDue();
    expect(notifier.calls.filter((m) => m.key === 'fail-1')).toHaveLength(1);

    t.clock.advanceMs(60_000);
    await dispatcher.dispatchDue();
    d = (await deliveries.get('fail-1'))!;
    expect(d).toMatchObject({ status: 'failed', attempts: 2 });
    expect(d.nextAttemptAt!.getTime()).toBe(t.clock.now().getTime() + 120_000); // doubled

    t.clock.advanceMs(120_000);
    await dispatcher.dispatchDue();
    d = (await deliveries.get('fail-1'))!;
    expect(d).toMatchObject({ status: 'dead', attempts: 3 });
    expect(d.lastError).toContain('channel_not_found');
    // Dead is visible and listable, never silently dropped; and it is not attempted again.
    expect((await deliveries.list({ status: ['dead'] })).map((x) => x.key)).toContain('fail-1');
    t.clock.advanceDays(1);
    await dispatcher.dispatchDue();
    expect(notifier.calls.filter((m) => m.key === 'fail-1')).toHaveLength(3);
  });

  it('recovers: a retry that succeeds marks the delivery sent with its ref', async () => {
    const notifier = new RecordingNotifier();
    notifier.failWith = 'timeout';
    const dispatcher = new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(notifier, 'teams') }, { baseBackoffMs: 1000 });
    await deliveries.enqueue(msg('recover-1'), t.clock.now());
    await dispatcher.dispatchDue();
    notifier.failWith = null;
    t.clock.advanceMs(1000);
    await dispatcher.dispatchDue();
    const d = (await deliveries.get('recover-1'))!;
    expect(d.status).toBe('sent');
    expect(d.refs.teams).toMatch(/^ref-/);
    expect(d.sentAt).toBeDefined();
    expect(d.lastError).toBeUndefined();
  });

  it('two dispatchers racing over the same outbox send each delivery exactly once', async () => {
    const notifier = new RecordingNotifier();
    notifier.delayMs = 2;
    const keys = Array.from({ length: 60 }, (_, i) => `race-${i}`);
    for (const k of keys) await deliveries.enqueue(msg(k), t.clock.now());
    const make = () => new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(notifier) }, { batchSize: 25, concurrency: 4 });
    const [a, b] = await Promise.all([make().dispatchDue(), make().dispatchDue()]);
    // Whatever one left because the other held it, a later run settles.
    const rest = await make().dispatchDue();
    const sent = notifier.keys().filter((k) => k.startsWith('race-'));
    expect(duplicates(sent)).toEqual([]);
    expect(new Set(sent)).toEqual(new Set(keys));
    expect(a.sent + b.sent + rest.sent).toBe(60);
    for (const k of keys) expect((await deliveries.get(k))!.status).toBe('sent');
  });

  it('retries an attempt whose worker died once its lease has passed', async () => {
    const hung = new RecordingNotifier();
    hung.hang = true;
    const dying = new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(hung) }, { leaseMs: 30_000 });
    await deliveries.enqueue(msg('lease-1'), t.clock.now());
    void dying.dispatchDue(); // never settles: the worker "died" mid-send
    // Until its send has started (so its lease is written), however slow the machine.
    for (let i = 0; i < 300 && hung.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hung.calls.map((m) => m.key)).toEqual(['lease-1']);
    const healthy = new RecordingNotifier();
    const other = new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(healthy) });
    await other.dispatchDue();
    expect(healthy.keys()).not.toContain('lease-1'); // still leased
    t.clock.advanceMs(30_000);
    await other.dispatchDue();
    expect(healthy.keys().filter((k) => k === 'lease-1')).toHaveLength(1);
    expect((await deliveries.get('lease-1'))!).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('composite notifier', () => {
  it('routes a person to every channel that reaches them, plus the console inbox', async () => {
    const slack = new RecordingNotifier();
    const teams = new RecordingNotifier();
    const composite = new CompositeNotifier(t.ctx.repos.people).register('slack', slack).register('teams', teams);
    const both = await person(t.ctx.repos, { slackUserId: 'U_BOTH', teamsAadObjectId: 'aad-both' });
    const slackOnly = await person(t.ctx.repos, { slackUserId: 'U_ONLY' });
    const consoleOnly = await person(t.ctx.repos);
    expect(await composite.targets(msg('x', both.id))).toEqual(['slack', 'teams', 'console']);
    expect(await composite.targets(msg('x', slackOnly.id))).toEqual(['slack', 'console']);
    expect(await composite.targets(msg('x', consoleOnly.id))).toEqual(['console']);
    expect(await composite.targets({ ...msg('x'), to: { channel: 'incidents' } })).toEqual(['slack', 'teams', 'console']);
    await expect(composite.targets(msg('x', 'ghost'))).rejects.toThrow(/no person/);
  });

  it('after a partial failure, the retry skips the channel that already has the message', async () => {
    const slack = new RecordingNotifier();
    const teams = new RecordingNotifier();
    teams.failWith = 'bot connector 502';
    const composite = new CompositeNotifier(t.ctx.repos.people).register('slack', slack).register('teams', teams);
    const p = await person(t.ctx.repos, { slackUserId: 'U_PARTIAL', teamsAadObjectId: 'aad-partial' });
    const dispatcher = new Dispatcher({ deliveries, clock: t.clock, router: composite }, { baseBackoffMs: 1000 });
    await deliveries.enqueue(msg('partial-1', p.id), t.clock.now());
    await dispatcher.dispatchDue();
    let d = (await deliveries.get('partial-1'))!;
    expect(d.status).toBe('failed');
    expect(d.lastError).toContain('teams: bot connector 502');
    expect(Object.keys(d.refs).sort()).toEqual(['console', 'slack']);
    teams.failWith = null;
    t.clock.advanceMs(1000);
    await dispatcher.dispatchDue();
    d = (await deliveries.get('partial-1'))!;
    expect(d.status).toBe('sent');
    expect(Object.keys(d.refs).sort()).toEqual(['console', 'slack', 'teams']);
    expect(slack.keys().filter((k) => k === 'partial-1')).toHaveLength(1);
    expect(teams.keys().filter((k) => k === 'partial-1')).toHaveLength(1);
  });

  it('the console inbox lists deliveries to a person, newest first, optionally since a time', async () => {
    const p = await person(t.ctx.repos);
    const start = t.clock.now();
    await deliveries.enqueue(msg('inbox-1', p.id), t.clock.now());
    t.clock.advanceMs(1000);
    await deliveries.enqueue(msg('inbox-2', p.id), t.clock.now());
    await deliveries.enqueue(msg('inbox-other', 'someone-else'), t.clock.now());
    expect((await deliveries.listForPerson(p.id)).map((d) => d.key)).toEqual(['inbox-2', 'inbox-1']);
    expect((await deliveries.listForPerson(p.id, new Date(start.getTime() + 500))).map((d) => d.key)).toEqual(['inbox-2']);
  });
});
