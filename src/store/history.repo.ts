/**
 * The history of every record and the audit trail, in one append-only collection. Each entry
 * is one version of one stream (`usecase:UC-3`, `approval:APR-1`, `log:<subject>`), and its
 * _id is `<stream>#<version>`: the insert of that _id is the only decision between concurrent
 * writers, because a unique-index insert is the one write FerretDB 1.24 and MongoDB both make
 * atomic. Nothing here updates or replaces an entry.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { GENESIS_HASH, hashEntry, hmac } from '../domain/audit/hash';
import type { DomainEvent } from '../domain/events';
import type { AuditCheckpoint, AuditRepository, HistoryEntry, NewHistoryEntry, StreamHead } from '../domain/ports';
import type { AuditEntry } from '../domain/types';
import { isDuplicateKey } from './mongoErrors';
import { GaplessHeads } from './gaplessHead';

const historySchema = new Schema(
  {
    _id: { type: String, required: true },
    stream: { type: String, required: true },
    version: { type: Number, required: true },
    at: { type: Date, required: true, index: true },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    subject: { type: String, required: true, index: true },
    data: { type: Schema.Types.Mixed },
    cause: { type: String },
    state: { type: Schema.Types.Mixed },
    events: { type: Schema.Types.Mixed },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'history', versionKey: false, minimize: false },
);
historySchema.index({ stream: 1, version: 1 }, { unique: true });

/**
 * Entries whose consequences may not have run: _id = `<stream>#<version>`, inserted BEFORE the
 * entry itself and deleted once its reactions are done. The sweep reads this small collection
 * instead of the history (FerretDB pushes down only _id equality; any other query scans).
 */
const pendingSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection: 'history_pending', versionKey: false });

const checkpointSchema = new Schema(
  {
    _id: { type: Number, required: true },
    at: { type: Date, required: true },
    entries: { type: Number, required: true },
    heads: { type: Schema.Types.Mixed, required: true },
    signature: { type: String, required: true },
  },
  { collection: 'audit_checkpoints', versionKey: false },
);

/** Development and test key; production refuses to start without AUDIT_SIGNING_KEY (src/config.ts). */
export const DEVELOPMENT_AUDIT_KEY = 'steward-development-audit-signing-key';

/** Plain data with Dates kept and undefined dropped: what is stored is exactly what is hashed. */
export function storable(v: unknown): any {
  if (v instanceof Date) return new Date(v.getTime());
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : storable(x)));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, storable(x)]),
    );
  }
  return v;
}

const reviveEvent = (e: any): DomainEvent => ({ ...e, at: new Date(e.at) });

const toEntry = (d: any): HistoryEntry => ({
  stream: d.stream,
  version: d.version,
  at: new Date(d.at),
  actorId: d.actorId,
  action: d.action,
  subject: d.subject,
  data: d.data ?? {},
  ...(d.cause ? { cause: d.cause } : {}),
  ...(d.state ? { state: d.state } : {}),
  events: (d.events ?? []).map(reviveEvent),
  prevHash: d.prevHash,
  hash: d.hash,
});

const PAGE = 500;

/**
 * A pending mark whose entry is still missing this long after the change's time was left by a
 * writer that died between its two inserts. (Far beyond any live write: driver timeouts end a
 * stuck one within a minute or so.)
 */
const ABANDONED_MARK_MS = 10 * 60_000;

export class MongoHistoryRepository implements AuditRepository {
  readonly model: Model<any>;
  readonly pending: Model<any>;
  readonly checkpoints: Model<any>;
  /** The newest version this process has seen per stream: where head() starts looking. */
  private readonly newest = new GaplessHeads();
  constructor(
    conn: Connection,
    private readonly signingKey: string = DEVELOPMENT_AUDIT_KEY,
  ) {
    this.model = conn.models.HistoryEntry ?? conn.model('HistoryEntry', historySchema);
    this.pending = conn.models.HistoryPending ?? conn.model('HistoryPending', pendingSchema);
    this.checkpoints = conn.models.AuditCheckpoint ?? conn.model('AuditCheckpoint', checkpointSchema);
  }

  hashOf(entry: Omit<HistoryEntry, 'hash'>): string {
    return hashEntry(this.signingKey, entry);
  }

  sign(body: string): string {
    return hmac(this.signingKey, body);
  }

  async append(input: NewHistoryEntry, expectedVersion: number): Promise<HistoryEntry | null> {
    let prevHash = GENESIS_HASH;
    if (expectedVersion > 0) {
      const prev = await this.model.collection.findOne({ _id: `${input.stream}#${expectedVersion}` as never }, { projection: { hash: 1 } });
      // The version the writer read is not there: its read was of something else; make it re-read.
      if (!prev) return null;
      prevHash = (prev as any).hash;
    }
    const events = storable(input.events ?? []) as DomainEvent[];
    const base: Omit<HistoryEntry, 'hash'> = {
      stream: input.stream,
      version: expectedVersion + 1,
      at: input.at,
      actorId: input.actorId,
      action: input.action,
      subject: input.subject,
      data: JSON.parse(JSON.stringify(input.data ?? {})),
      ...(input.cause ? { cause: input.cause } : {}),
      ...(input.state ? { state: storable(input.state) } : {}),
      events,
      prevHash,
    };
    const entry: HistoryEntry = { ...base, hash: this.hashOf(base) };
    const id = `${entry.stream}#${entry.version}`;
    // Announced before it exists, so a crash between the two leaves a pending mark the sweep
    // resolves (it finds the entry and runs its consequences, or finds none and drops the mark).
    if (events.length) await this.insertIgnoringDuplicate(this.pending, { _id: id, at: entry.at });
    try {
      const { events: _events, ...rest } = entry;
      // storedAt (this server's clock, not hashed) orders entries that share a domain time.
      await this.model.collection.insertOne({ _id: id as never, ...rest, ...(events.length ? { events } : {}), storedAt: new Date() });
      this.newest.note(entry.stream, entry.version);
      return entry;
    } catch (e) {
      if (isDuplicateKey(e)) return null;
      throw e;
    }
  }

  private async insertIgnoringDuplicate(model: Model<any>, doc: Record<string, unknown>): Promise<void> {
    try {
      await model.collection.insertOne(doc as never);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }

  private async entryAt(stream: string, version: number): Promise<any | null> {
    return this.model.collection.findOne({ _id: `${stream}#${version}` as never });
  }

  /**
   * The newest entry, found by point reads of `<stream>#<version>` only: versions are 1…n
   * without gaps, so from the version this process last saw it gallops forward and then
   * bisects, usually two reads. (A sort on version would scan the whole history on FerretDB.)
   */
  async head(stream: string): Promise<HistoryEntry | null> {
    const head = await this.newest.head(stream, (version) => this.entryAt(stream, version));
    return head ? toEntry(head.value) : null;
  }

  async history(stream: string): Promise<HistoryEntry[]> {
    const head = await this.head(stream);
    if (!head) return [];
    const out: HistoryEntry[] = [];
    for (let from = 1; from <= head.version; from += 16) {
      const batch = await Promise.all(Array.from({ length: Math.min(16, head.version - from + 1) }, (_, i) => this.entryAt(stream, from + i)));
      for (const d of batch) if (d) out.push(toEntry(d));
    }
    return out;
  }

  async last(): Promise<AuditEntry | null> {
    // The most recently written: domain times tie under a fixed clock, and may be set back.
    const d = await this.model.findOne().sort({ storedAt: -1, _id: -1 }).lean();
    return d ? toEntry(d) : null;
  }

  count(): Promise<number> {
    return this.model.countDocuments({});
  }

  async *all(order: 'time' | 'stream' | 'stored' = 'time'): AsyncIterable<HistoryEntry> {
    if (order === 'stored') {
      // One unsorted cursor: linear everywhere (on FerretDB each sorted page below scans everything).
      for await (const d of this.model.collection.find({}, { batchSize: PAGE }) as AsyncIterable<any>) yield toEntry(d);
      return;
    }
    // Paged by the sort key rather than one cursor: flat memory (MongoDB walks the index).
    let after: any = null;
    for (;;) {
      const query =
        after === null
          ? {}
          : order === 'time'
            ? { $or: [{ at: { $gt: after.at } }, { at: after.at, _id: { $gt: after._id } }] }
            : { $or: [{ stream: { $gt: after.stream } }, { stream: after.stream, version: { $gt: after.version } }] };
      const sort: Record<string, 1> = order === 'time' ? { at: 1, _id: 1 } : { stream: 1, version: 1 };
      const page = await this.model.find(query).sort(sort).limit(PAGE).lean();
      if (!page.length) return;
      for (const d of page) yield toEntry(d);
      after = page[page.length - 1];
    }
  }

  async heads(): Promise<StreamHead[]> {
    // One unsorted scan of three small fields, keeping each stream's highest version: linear on
    // both stores (paging by a sort key costs a full scan per page on FerretDB, which does not
    // push sorts down: 24 s for 10k entries, against 2.5 s for this).
    const heads = new Map<string, StreamHead>();
    const cursor = this.model.collection.find({}, { projection: { stream: 1, version: 1, hash: 1 }, batchSize: PAGE * 4 });
    for await (const d of cursor as AsyncIterable<any>) {
      const seen = heads.get(d.stream);
      if (!seen || d.version > seen.version) heads.set(d.stream, { stream: d.stream, version: d.version, hash: d.hash });
    }
    return [...heads.values()];
  }


  async hashesAt(refs: Array<{ stream: string; version: number }>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const ids = refs.map((r) => `${r.stream}#${r.version}`);
    for (let i = 0; i < ids.length; i += PAGE) {
      const page: any[] = await this.model.find({ _id: { $in: ids.slice(i, i + PAGE) } }, { hash: 1 }).lean();
      for (const d of page) out.set(d._id, d.hash);
    }
    return out;
  }

  async insertCheckpoint(c: AuditCheckpoint): Promise<boolean> {
    try {
      await this.checkpoints.collection.insertOne({ _id: c.seq as never, at: c.at, entries: c.entries, heads: c.heads, signature: c.signature });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async latestCheckpoint(): Promise<AuditCheckpoint | null> {
    const d: any = await this.checkpoints.findOne().sort({ _id: -1 }).lean();
    return d ? { seq: d._id, at: new Date(d.at), entries: d.entries, heads: d.heads, signature: d.signature } : null;
  }

  async pendingReactions(before: Date, limit: number): Promise<HistoryEntry[]> {
    const marks: any[] = await this.pending.find({ at: { $lt: before } }).sort({ at: 1, _id: 1 }).limit(limit).lean();
    const out: HistoryEntry[] = [];
    for (const m of marks) {
      const d = await this.model.collection.findOne({ _id: m._id });
      if (!d) {
        // Announced, not written yet. Its writer may still be on the way (a slow step, a database
        // pause), and dropping the mark before it writes loses that entry's reactions for good
        // (the crash test saw approvals decided and never moved nor announced), so the mark is
        // dropped only once no live writer can still be behind it.
        if (new Date(m.at).getTime() < before.getTime() - ABANDONED_MARK_MS) await this.pending.deleteOne({ _id: m._id });
      } else if (!(d as any).events?.length) {
        // The version was won by a writer whose change had no events (the mark was the loser's).
        await this.pending.deleteOne({ _id: m._id });
      } else out.push(toEntry(d));
    }
    return out;
  }

  async markReacted(entry: Pick<AuditEntry, 'stream' | 'version'>): Promise<void> {
    // A mark, not record data: deleting it only stops the sweep from running idempotent work again.
    await this.pending.deleteOne({ _id: `${entry.stream}#${entry.version}` });
  }
}
