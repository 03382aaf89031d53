/**
 * The outbox paths that keep a burst cheap on FerretDB: first attempts read their message from
 * the batch document it was queued with, and a worker that lost an attempt to another leaves it
 * alone for a while instead of looking its claim up at once. Neither may cost a guarantee: a
 * missing batch falls back to the stored message, a finished entry left by a crash is dropped
 * without a second send, and a send whose worker died before recording it is retried.
 */
import { Dispatcher, singleChannel } from '../../src/notifications/dispatcher';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext } from '../support/context';
import { RecordingNotifier } from '../scheduler/fixtures';

const t = useTestContext();
let deliveries: MongoDeliveryRepository;

beforeAll(async () => {
  deliveries = createDeliveryRepository(t.ctx.conn);
  await deliveries.init();
});

const msg = (key: string) => ({ key, to: { personId: 'nobody' }, card: { title: key, text: `card ${key}` }, text: `text ${key}` });
const queued = async (prefix: string) => (await deliveries.due(t.clock.now(), 100_000)).filter((q) => q.key.startsWith(prefix));

describe('outbox message batches', () => {
  it('queues a burst with its messages in batch documents and sends each first attempt from them', async () => {
    const keys = Array.from({ length: 1200 }, (_, i) => `batch-a-${i}`);
    expect(await deliveries.enqueueMany(keys.map(msg), t.clock.now())).toBe(1200);
    const entries = await queued('batch-a-');
    const batchIds = new Set(entries.map((e) => e.batch));
    expect(entries).toHaveLength(1200);
    expect(batchIds.size).toBe(3); // 500 + 500 + 200
    expect(batchIds.has(undefined)).toBe(false);
    // The stored messages are gone: only the batches can provide what is sent.
    await deliveries.model.collection.deleteMany({ _id: { $in: keys.slice(0, 10) } as never });
    const notifier = new RecordingNotifier();
    const stats = await new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(notifier) }).dispatchDue();
    expect(stats.sent).toBeGreaterThanOrEqual(1200);
    const sent = new Map(notifier.sent.map((m) => [m.key, m]));
    for (const k of keys) expect(sent.get(k)).toEqual({ key: k, to: { personId: 'nobody' }, card: { title: k, text: `card ${k}` }, text: `text ${k}` });
    expect(await queued('batch-a-')).toEqual([]);
  });

  it('a second enqueue of the same keys adds no batch and no queue entry', async () => {
    await deliveries.enqueueMany([msg('batch-b-1'), msg('batch-b-2')], t.clock.now());
    const before = await deliveries.batches.countDocuments({});
    expect(await deliveries.enqueueMany([msg('batch-b-1'), msg('batch-b-2')], t.clock.now())).toBe(0);
    expect(await deliveries.batches.countDocuments({})).toBe(before);
    expect(await queued('batch-b-')).toHaveLength(2);
  });

  it('falls back to the stored message when its batch is missing', async () => {
    await deliveries.enqueue(msg('batch-c-1'), t.clock.now());
    const [entry] = await queued('batch-c-');
    await deliveries.batches.collection.deleteOne({ _id: entry!.batch as never });
    const notifier = new RecordingNotifier();
    await new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(notifier) }).dispatchDue();
    expect(notifier.sent.filter((m) => m.key === 'batch-c-1')).toEqual([msg('batch-c-1')]);
  });
});

describe('a worker that dies after sending', () => {
  it('between recording the outcome and removing the queue entry: the entry is dropped later, nothing is sent twice', async () => {
    await deliveries.enqueue(msg('die-a-1'), t.clock.now());
    const first = new RecordingNotifier();
    // The worker's process ends inside recordOutcomes, after the outcome insert.
    const dying = Object.create(deliveries) as MongoDeliveryRepository;
    dying.dropQueued = async () => {
      throw new Error('process killed');
    };
    await expect(new Dispatcher({ deliveries: dying, clock: t.clock, router: singleChannel(first) }).dispatchDue()).rejects.toThrow('process killed');
    expect(first.keys()).toEqual(['die-a-1']);
    expect(await queued('die-a-')).toHaveLength(1); // the stale entry

    const other = new RecordingNotifier();
    const survivor = new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(other) });
    expect(await survivor.dispatchDue()).toMatchObject({ sent: 0, skipped: 1 }); // lost: left alone for now
    t.clock.advanceMs(5_000);
    await survivor.dispatchDue(); // met again: its claim is looked up, found finished, dropped
    expect(await queued('die-a-')).toEqual([]);
    expect(other.keys()).toEqual([]);
    expect((await deliveries.get('die-a-1'))!).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('before recording the outcome: another worker sends it again once the lease has passed (at least once)', async () => {
    await deliveries.enqueue(msg('die-b-1'), t.clock.now());
    const first = new RecordingNotifier();
    const dying = Object.create(deliveries) as MongoDeliveryRepository;
    dying.recordOutcomes = async () => {
      throw new Error('process killed');
    };
    await expect(new Dispatcher({ deliveries: dying, clock: t.clock, router: singleChannel(first) }, { leaseMs: 60_000 }).dispatchDue()).rejects.toThrow('process killed');
    expect(first.keys()).toEqual(['die-b-1']);

    const other = new RecordingNotifier();
    const survivor = new Dispatcher({ deliveries, clock: t.clock, router: singleChannel(other) }, { leaseMs: 60_000 });
    await survivor.dispatchDue();
    t.clock.advanceMs(30_000);
    await survivor.dispatchDue(); // looked up: still leased
    expect(other.keys()).toEqual([]);
    t.clock.advanceMs(30_000);
    await survivor.dispatchDue(); // the lease passed: recorded as stopped, the next attempt queued
    await survivor.dispatchDue();
    expect(other.keys()).toEqual(['die-b-1']);
    expect((await deliveries.get('die-b-1'))!).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
