/**
 * The notification outbox on four collections, every change an insert or a delete:
 *   deliveries          the message, _id = its key (a second enqueue is E11000: never queued twice)
 *   delivery_queue      attempts waiting, _id = `<key>#<attempt>`, with nextAttemptAt
 *   delivery_attempts   the claim of an attempt (one winner) and its lease
 *   delivery_outcomes   what an attempt came to (one per attempt), refs and error
 *   delivery_batches    copies of messages queued together (up to MESSAGES_PER_BATCH per
 *                       document), named by their first attempts: what a first attempt sends
 * Why not one document with a status field: FerretDB (SQLite) updates cost tens of ms each and
 * are not atomic when conditional, while batched inserts and deletes cost well under a ms.
 *
 * Why message batches: FerretDB serves only `_id` equality from an index; `{_id: {$in: keys}}`
 * scans the whole deliveries collection and tests each document against every key (measured on
 * 10,000 messages: 3.7 s for 2,000 keys), and point reads cost several ms each. Carrying the
 * message in the queue entry instead makes every poll of the queue scan 4-6 times the bytes
 * (3.8 s against 0.6-1.0 s for 10,000 entries). A batch document is read by `_id`: four reads
 * fetch 2,000 messages (1.5 s on the same loaded machine), whatever the size of the outbox.
 */
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  AttemptOutcome,
  Delivery,
  DeliveryRepository,
  DeliveryStatus,
  OutboundMessage,
  QueuedAttempt,
} from '../domain/ports';
import { currentRequestId } from '../observability/requestContext';
import { isDuplicateKey } from './mongoErrors';

const opts = { versionKey: false as const, minimize: false };
const deliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    to: { type: Schema.Types.Mixed, required: true },
    toPersonId: { type: String, index: true },
    toChannel: { type: String },
    card: { type: Schema.Types.Mixed },
    text: { type: String, required: true },
    threadKey: { type: String },
    ifConfigured: { type: Boolean },
    /** The request whose work queued it (X-Request-Id): its delivery logs carry the same id. */
    requestId: { type: String },
    createdAt: { type: Date, required: true, index: true },
  },
  { collection: 'deliveries', ...opts },
);
const queueSchema = new Schema(
  { _id: String, key: { type: String, index: true }, attempt: Number, nextAttemptAt: { type: Date, index: true }, message: Schema.Types.Mixed },
  { collection: 'delivery_queue', ...opts },
);
const attemptSchema = new Schema(
  { _id: String, key: { type: String, index: true }, attempt: Number, at: Date, leaseUntil: Date },
  { collection: 'delivery_attempts', ...opts },
);
const batchSchema = new Schema(
  { _id: String, messages: Schema.Types.Mixed, createdAt: { type: Date, index: true } },
  { collection: 'delivery_batches', ...opts },
);
const outcomeSchema = new Schema(
  {
    _id: String,
    key: { type: String, index: true },
    attempt: Number,
    outcome: { type: String, index: true },
    refs: { type: Schema.Types.Mixed, default: {} },
    error: String,
    retryAt: Date,
    at: Date,
  },
  { collection: 'delivery_outcomes', ...opts },
);

export const attemptId = (key: string, attempt: number): string => `${key}#${attempt}`;

/** Messages per batch document, and its size bound (FerretDB and MongoDB refuse 16 MB). */
const MESSAGES_PER_BATCH = 500;
const BATCH_BYTES = 4_000_000;

/** Message documents in groups small enough for one batch document each. */
function batchesOf<T>(docs: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const d of docs) {
    const size = JSON.stringify(d).length;
    if (current.length && (current.length >= MESSAGES_PER_BATCH || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(d);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/** insertMany that ignores duplicate keys; returns the _ids actually inserted. */
async function insertNew(model: Model<any>, docs: { _id: string }[]): Promise<Set<string>> {
  if (!docs.length) return new Set();
  try {
    await model.collection.insertMany(docs as any[], { ordered: false });
    return new Set(docs.map((d) => d._id));
  } catch (e) {
    const errs: { index: number; code?: number }[] = (e as any)?.writeErrors ?? (e as any)?.result?.writeErrors ?? [];
    if (!isDuplicateKey(e) && !(errs.length && errs.every((w) => w.code === 11000))) throw e;
    const failed = new Set(errs.map((w) => w.index));
    return new Set(docs.filter((_, i) => !failed.has(i)).map((d) => d._id));
  }
}

const messageDoc = (m: OutboundMessage, at: Date, requestId = currentRequestId()) => ({
  _id: m.key,
  to: m.to,
  ...('personId' in m.to ? { toPersonId: m.to.personId } : { toChannel: m.to.channel }),
  card: m.card ?? null,
  text: m.text,
  ...(m.threadKey ? { threadKey: m.threadKey } : {}),
  ...(m.ifConfigured ? { ifConfigured: true } : {}),
  ...(requestId ? { requestId } : {}),
  createdAt: at,
});

const toMessage = (d: any): OutboundMessage => ({
  key: d._id,
  to: d.to,
  card: d.card,
  text: d.text,
  ...(d.threadKey ? { threadKey: d.threadKey } : {}),
  ...(d.ifConfigured ? { ifConfigured: true } : {}),
});

export class MongoDeliveryRepository implements DeliveryRepository {
  readonly model: Model<any>;
  readonly queue: Model<any>;
  readonly attempts: Model<any>;
  readonly outcomes: Model<any>;
  readonly batches: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.Delivery ?? conn.model('Delivery', deliverySchema);
    this.queue = conn.models.DeliveryQueue ?? conn.model('DeliveryQueue', queueSchema);
    this.attempts = conn.models.DeliveryAttempt ?? conn.model('DeliveryAttempt', attemptSchema);
    this.outcomes = conn.models.DeliveryOutcome ?? conn.model('DeliveryOutcome', outcomeSchema);
    this.batches = conn.models.DeliveryBatch ?? conn.model('DeliveryBatch', batchSchema);
  }

  /** Builds the indexes (the unique _ids exist anyway; these keep the queue query quick). */
  async init(): Promise<void> {
    await Promise.all([this.model.init(), this.queue.init(), this.attempts.init(), this.outcomes.init(), this.batches.init()]);
  }

  async enqueue(message: OutboundMessage, at: Date): Promise<boolean> {
    return (await this.enqueueMany([message], at)) === 1;
  }

  async enqueueMany(messages: OutboundMessage[], at: Date): Promise<number> {
    const unique = [...new Map(messages.map((m) => [m.key, m])).values()];
    if (!unique.length) return 0;
    const docs = unique.map((m) => messageDoc(m, at));
    const fresh = await insertNew(this.model, docs);
    // Copies of the new messages for their first attempts (a crash before the queue entries
    // leaves orphans, requeued without a batch; a batch without entries is only a copy).
    // In the queue's order (due() sorts a burst by _id), so a window of it spans few batches.
    const groups = batchesOf(docs.filter((d) => fresh.has(d._id)).sort((x, y) => (x._id < y._id ? -1 : x._id > y._id ? 1 : 0))).map((group) => ({ _id: `${at.toISOString()}:${randomUUID()}`, messages: group, createdAt: at }));
    if (groups.length) await this.batches.collection.insertMany(groups as any[], { ordered: false });
    // Queue entries stay tiny: FerretDB scans cost by the byte, and the queue is scanned often.
    await insertNew(this.queue, groups.flatMap((g) => g.messages.map((d) => ({ _id: attemptId(d._id, 1), key: d._id, attempt: 1, nextAttemptAt: at, batch: g._id }))));
    return fresh.size;
  }

  /**
   * Queues again the messages stored but never queued (an enqueuer that stopped between its two
   * inserts), created between `since` and `before`. Scans rather than `$in` lookups, which
   * FerretDB evaluates document by document.
   */
  async requeueOrphans(since: Date, before: Date): Promise<number> {
    const [stored, queued, tried] = await Promise.all([
      this.model.find({ createdAt: { $gte: since, $lte: before } }, { _id: 1 }).lean<{ _id: string }[]>(),
      this.queue.find({}, { key: 1 }).lean<{ key: string }[]>(),
      this.attempts.find({ at: { $gte: since } }, { key: 1 }).lean<{ key: string }[]>(),
    ]);
    const known = new Set([...queued, ...tried].map((d) => d.key));
    const orphans = stored.map((d) => d._id).filter((k) => !known.has(k));
    await insertNew(this.queue, orphans.map((key) => ({ _id: attemptId(key, 1), key, attempt: 1, nextAttemptAt: before })));
    return orphans.length;
  }

  async due(now: Date, limit: number): Promise<QueuedAttempt[]> {
    const docs = await this.queue.find({ nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1, _id: 1 }).limit(limit).lean();
    return docs.map((d: any) => ({
      key: d.key,
      attempt: d.attempt,
      nextAttemptAt: new Date(d.nextAttemptAt),
      ...(d.message ? { message: { ...d.message, key: d.key } } : {}),
      ...(d.batch ? { batch: d.batch } : {}),
    }));
  }

  claimAttempts(attempts: QueuedAttempt[], at: Date, leaseUntil: Date): Promise<Set<string>> {
    return insertNew(this.attempts, attempts.map(({ message: _m, ...a }) => ({ _id: attemptId(a.key, a.attempt), key: a.key, attempt: a.attempt, at, leaseUntil })));
  }

  async attemptState(ids: string[]): Promise<Map<string, { leaseUntil: Date; done: boolean }>> {
    if (!ids.length) return new Map();
    const [claims, outcomes] = await Promise.all([
      this.attempts.find({ _id: { $in: ids } }).lean(),
      this.outcomes.find({ _id: { $in: ids } }, { _id: 1 }).lean(),
    ]);
    const done = new Set(outcomes.map((o: any) => o._id));
    return new Map(claims.map((c: any) => [c._id, { leaseUntil: new Date(c.leaseUntil), done: done.has(c._id) }]));
  }

  async messages(keys: string[], retried: string[] = keys, batches: string[] = []): Promise<Map<string, { message: OutboundMessage; refs: Record<string, string>; requestId?: string }>> {
    if (!keys.length) return new Map();
    // From the batches by _id first; only what they lack from the deliveries (a scan, see top).
    const wanted = new Set(keys);
    const copies = (await Promise.all(batches.map((id) => this.batches.collection.findOne({ _id: id as never }, { projection: { messages: 1 } }))))
      .flatMap((b: any) => (b?.messages ?? []) as any[])
      .filter((d) => wanted.has(d._id) && wanted.delete(d._id));
    const [stored, outcomes] = await Promise.all([
      wanted.size ? this.model.find({ _id: { $in: [...wanted] } }).lean() : [],
      retried.length ? this.outcomes.find({ key: { $in: retried } }, { key: 1, attempt: 1, refs: 1 }).lean() : [],
    ]);
    const docs = [...copies, ...stored];
    const refs = new Map<string, Record<string, string>>();
    for (const o of outcomes.sort((a: any, b: any) => a.attempt - b.attempt) as any[]) refs.set(o.key, { ...refs.get(o.key), ...(o.refs ?? {}) });
    return new Map(docs.map((d: any) => [d._id, { message: toMessage(d), refs: refs.get(d._id) ?? {}, ...(d.requestId ? { requestId: d.requestId } : {}) }]));
  }

  async recordOutcomes(outcomes: AttemptOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    const recorded = await insertNew(
      this.outcomes,
      outcomes.map((o) => ({
        _id: attemptId(o.key, o.attempt),
        key: o.key,
        attempt: o.attempt,
        outcome: o.outcome,
        refs: o.refs,
        ...(o.error ? { error: o.error.slice(0, 2000) } : {}),
        ...(o.retryAt ? { retryAt: o.retryAt } : {}),
        at: o.at,
      })),
    );
    // The retry is queued before the finished entry is removed: a crash in between leaves a
    // stale entry (dropped later), never a lost delivery.
    const retries = outcomes.filter((o) => o.outcome === 'failed' && o.retryAt && recorded.has(attemptId(o.key, o.attempt)));
    await insertNew(this.queue, retries.map((o) => ({ _id: attemptId(o.key, o.attempt + 1), key: o.key, attempt: o.attempt + 1, nextAttemptAt: o.retryAt })));
    await this.dropQueued(outcomes.map((o) => attemptId(o.key, o.attempt)));
  }

  async dropQueued(ids: string[]): Promise<void> {
    if (ids.length) await this.queue.deleteMany({ _id: { $in: ids } });
  }

  async get(key: string): Promise<Delivery | null> {
    const d = await this.model.findById(key).lean();
    return d ? (await this.assemble([d]))[0]! : null;
  }

  /** Status and history of stored messages from their queue entries, claims and outcomes. */
  private async assemble(docs: any[]): Promise<Delivery[]> {
    const keys = docs.map((d) => d._id);
    const [queued, claims, outcomes] = await Promise.all([
      this.queue.find({ key: { $in: keys } }).lean(),
      this.attempts.find({ key: { $in: keys } }, { key: 1, attempt: 1 }).lean(),
      this.outcomes.find({ key: { $in: keys } }).lean(),
    ]);
    const group = <T extends { key: string }>(xs: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of xs) m.set(x.key, [...(m.get(x.key) ?? []), x]);
      return m;
    };
    const q = group(queued as any[]);
    const c = group(claims as any[]);
    const o = group(outcomes as any[]);
    return docs.map((d) => {
      const outs = (o.get(d._id) ?? []).sort((a: any, b: any) => a.attempt - b.attempt);
      const last = outs[outs.length - 1];
      const refs = Object.assign({}, ...outs.map((x: any) => x.refs ?? {}));
      const lastError = [...outs].reverse().find((x: any) => x.error)?.error;
      const next = (q.get(d._id) ?? []).sort((a: any, b: any) => b.attempt - a.attempt)[0];
      const status: DeliveryStatus = last?.outcome === 'sent' ? 'sent' : last?.outcome === 'dead' ? 'dead' : last ? 'failed' : 'pending';
      const attempts = Math.max(0, ...(c.get(d._id) ?? []).map((x: any) => x.attempt), ...outs.map((x: any) => x.attempt));
      return {
        ...toMessage(d),
        status,
        attempts,
        ...(lastError && status !== 'sent' ? { lastError } : {}),
        ...(next && status !== 'sent' && status !== 'dead' ? { nextAttemptAt: new Date(next.nextAttemptAt) } : {}),
        ...(status === 'sent' ? { sentAt: new Date(last.at) } : {}),
        refs,
        createdAt: new Date(d.createdAt),
      };
    });
  }

  async list(filter: { status?: DeliveryStatus[]; since?: Date; limit?: number } = {}): Promise<Delivery[]> {
    const q: Record<string, unknown> = {};
    if (filter.since) q.createdAt = { $gte: filter.since };
    const wanted = filter.status;
    if (wanted && !wanted.includes('pending')) {
      // Start from the outcomes: dead or failed deliveries are few among many sent ones.
      const keys = await this.outcomes.distinct('key', { outcome: { $in: wanted.map((s) => (s === 'failed' ? 'failed' : s)) } });
      q._id = { $in: keys };
    }
    const docs = await this.model.find(q).sort({ createdAt: -1, _id: 1 }).limit(filter.limit ?? 500).lean();
    const all = await this.assemble(docs);
    return wanted ? all.filter((d) => wanted.includes(d.status)) : all;
  }

  async inboxSince(personIds: string[], since: Date, limit = 500): Promise<Array<OutboundMessage & { createdAt: Date; toPersonId: string }>> {
    if (!personIds.length) return [];
    const docs = await this.model
      .find({ toPersonId: { $in: personIds }, createdAt: { $gte: since } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((d: any) => ({ ...toMessage(d), createdAt: new Date(d.createdAt), toPersonId: d.toPersonId }));
  }

  async listForPerson(personId: string, since?: Date): Promise<Delivery[]> {
    const q: Record<string, unknown> = { toPersonId: personId };
    if (since) q.createdAt = { $gte: since };
    return this.assemble(await this.model.find(q).sort({ createdAt: -1, _id: 1 }).limit(500).lean());
  }
}

/** The outbox on the app's connection (kept out of `Repositories`: see ports.ts). */
export function createDeliveryRepository(conn: Connection): MongoDeliveryRepository {
  return new MongoDeliveryRepository(conn);
}
