import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditRepository } from '../domain/ports';
import type { AuditEntry } from '../domain/types';
import { isDuplicateKey } from './mongoErrors';

const auditSchema = new Schema(
  {
    seq: { type: Number, required: true, unique: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    subject: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit', versionKey: false, minimize: false },
);

const toEntry = (d: any): AuditEntry => ({
  seq: d.seq,
  at: new Date(d.at),
  actorId: d.actorId,
  action: d.action,
  subject: d.subject,
  data: d.data ?? {},
  prevHash: d.prevHash,
  hash: d.hash,
});

/** Append-only: the repository offers no update or delete. */
export class MongoAuditRepository implements AuditRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.AuditEntry ?? conn.model('AuditEntry', auditSchema);
  }
  async last(): Promise<AuditEntry | null> {
    const d = await this.model.findOne().sort({ seq: -1 }).lean();
    return d ? toEntry(d) : null;
  }
  async insert(entry: AuditEntry): Promise<boolean> {
    try {
      await this.model.create(entry);
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }
  async *all(): AsyncIterable<AuditEntry> {
    // Paged by seq rather than one cursor: keeps memory flat and works the same on FerretDB.
    let after = 0;
    for (;;) {
      const page = await this.model.find({ seq: { $gt: after } }).sort({ seq: 1 }).limit(500).lean();
      if (!page.length) return;
      for (const d of page) yield toEntry(d);
      after = (page[page.length - 1] as any).seq;
    }
  }
}
