import { Schema, type Connection, type Model } from 'mongoose';
import type { Delivery, DeliveryRepository, DeliveryStatus, OutboundMessage } from '../domain/ports';
import { isDuplicateKey } from './mongoErrors';

const deliverySchema = new Schema(
  {
    // The message key is the _id: inserting it twice is E11000, which is how a retried sweep
    // or event handler never queues (and so never sends) the same message twice.
    _id: { type: String, required: true },
    to: { type: Schema.Types.Mixed, required: true },
    toPersonId: { type: String },
    toChannel: { type: String },
    card: { type: Schema.Types.Mixed },
    text: { type: String, required: true },
    threadKey: { type: String },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    lastError: { type: String },
    nextAttemptAt: { type: Date, required: true },
    sentAt: { type: Date },
    refs: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'deliveries', versionKey: false, minimize: false },
);
deliverySchema.index({ status: 1, nextAttemptAt: 1 });
deliverySchema.index({ toPersonId: 1, createdAt: -1 });

const toDelivery = (d: any): Delivery => ({
  key: d._id,
  to: d.to,
  card: d.card,
  text: d.text,
  ...(d.threadKey ? { threadKey: d.threadKey } : {}),
  status: d.status,
  attempts: d.attempts,
  ...(d.lastError ? { lastError: d.lastError } : {}),
  nextAttemptAt: new Date(d.nextAttemptAt),
  ...(d.sentAt ? { sentAt: new Date(d.sentAt) } : {}),
  refs: { ...(d.refs ?? {}) },
  createdAt: new Date(d.createdAt),
  updatedAt: new Date(d.updatedAt),
});

export class MongoDeliveryRepository implements DeliveryRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.Delivery ?? conn.model('Delivery', deliverySchema);
  }

  async enqueue(message: OutboundMessage, at: Date): Promise<boolean> {
    const doc: Record<string, unknown> = {
      _id: message.key,
      to: message.to,
      card: message.card ?? null,
      text: message.text,
      status: 'pending' satisfies DeliveryStatus,
      attempts: 0,
      nextAttemptAt: at,
      refs: {},
      createdAt: at,
      updatedAt: at,
    };
    if ('personId' in message.to) doc.toPersonId = message.to.personId;
    else doc.toChannel = message.to.channel;
    if (message.threadKey) doc.threadKey = message.threadKey;
    try {
      await this.model.create(doc);
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async get(key: string): Promise<Delivery | null> {
    const d = await this.model.findById(key).lean();
    return d ? toDelivery(d) : null;
  }

  async due(now: Date, limit: number): Promise<Delivery[]> {
    const docs = await this.model
      .find({ status: { $in: ['pending', 'failed'] }, nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1, _id: 1 })
      .limit(limit)
      .lean();
    return docs.map(toDelivery);
  }

  // The updates below are guarded by `attempts` only as a safety net against a stale holder:
  // exclusivity comes from the per-attempt claim the dispatcher takes before calling them.
  async startAttempt(key: string, attempt: number, leaseUntil: Date, at: Date): Promise<void> {
    await this.model.updateOne(
      { _id: key, attempts: attempt - 1 },
      { $set: { attempts: attempt, nextAttemptAt: leaseUntil, updatedAt: at } },
    );
  }

  async markSent(key: string, attempt: number, refs: Record<string, string>, at: Date): Promise<void> {
    await this.model.updateOne(
      { _id: key, attempts: attempt },
      { $set: { status: 'sent', sentAt: at, refs, updatedAt: at }, $unset: { lastError: 1 } },
    );
  }

  async markFailed(
    key: string,
    attempt: number,
    error: string,
    retryAt: Date | null,
    refs: Record<string, string>,
    at: Date,
  ): Promise<void> {
    await this.model.updateOne(
      { _id: key, attempts: attempt },
      {
        $set: {
          status: retryAt ? 'failed' : 'dead',
          lastError: error.slice(0, 2000),
          nextAttemptAt: retryAt ?? at,
          refs,
          updatedAt: at,
        },
      },
    );
  }

  async list(filter: { status?: DeliveryStatus[]; since?: Date; limit?: number } = {}): Promise<Delivery[]> {
    const q: Record<string, unknown> = {};
    if (filter.status) q.status = { $in: filter.status };
    if (filter.since) q.createdAt = { $gte: filter.since };
    const docs = await this.model
      .find(q)
      .sort({ createdAt: -1, _id: 1 })
      .limit(filter.limit ?? 500)
      .lean();
    return docs.map(toDelivery);
  }

  async listForPerson(personId: string, since?: Date): Promise<Delivery[]> {
    const q: Record<string, unknown> = { toPersonId: personId };
    if (since) q.createdAt = { $gte: since };
    const docs = await this.model.find(q).sort({ createdAt: -1, _id: 1 }).limit(500).lean();
    return docs.map(toDelivery);
  }
}

/** The outbox on the app's connection (kept out of `Repositories`: see ports.ts). */
export function createDeliveryRepository(conn: Connection): MongoDeliveryRepository {
  return new MongoDeliveryRepository(conn);
}
