/**
 * Incidents, kept as their history (src/store/versioned.ts): every change is one new version in
 * the `incident:INC-n` stream, inserted under a unique (stream, version), so concurrent notes
 * and status changes each land or are retried, never overwritten. The `incidents` collection
 * is the newest version of each, for lists only.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Change, Committed, IncidentRepository } from '../domain/ports';
import type { Incident, IncidentStatus } from '../domain/types';
import { storable, type MongoHistoryRepository } from './history.repo';
import { allocateKey, keyModel } from './sequence';
import { VersionedRecords } from './versioned';

const timelineSchema = new Schema(
  { at: { type: Date, required: true }, by: String, kind: String, text: String },
  { _id: false },
);

const incidentSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    seq: { type: Number, required: true, unique: true },
    useCaseKey: String,
    modelName: String,
    category: { type: String, required: true },
    severity: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    redactions: { type: [String], default: [] },
    reporterId: { type: String, required: true },
    ownerId: { type: String, required: true },
    status: { type: String, required: true },
    timeline: { type: [timelineSchema], default: [] },
    serious: {
      type: new Schema(
        {
          basis: String,
          awareAt: Date,
          awareSource: String,
          deadline: Date,
          initialReportAt: Date,
          initialReportRef: String,
          reportSubmittedAt: Date,
          reportRef: String,
          providerInformedAt: Date,
          providerInformedNote: String,
        },
        { _id: false },
      ),
      default: undefined,
    },
    killSwitch: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    /** The history version this projection shows (src/store/versioned.ts). */
    rev: { type: Number },
  },
  { collection: 'incidents', versionKey: false, minimize: false },
);
incidentSchema.index({ status: 1 });
incidentSchema.index({ useCaseKey: 1 });

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

const toIncident = (d: any): Incident => ({
  ...(typeof d.rev === 'number' ? { rev: d.rev } : {}),
  key: d.key,
  seq: d.seq,
  useCaseKey: opt(d.useCaseKey),
  modelName: opt(d.modelName),
  category: d.category,
  severity: d.severity,
  title: d.title,
  description: d.description ?? '',
  redactions: [...(d.redactions ?? [])],
  reporterId: d.reporterId,
  ownerId: d.ownerId,
  status: d.status,
  timeline: (d.timeline ?? []).map((t: any) => ({ at: new Date(t.at), by: t.by, kind: t.kind, text: t.text })),
  serious: d.serious
    ? {
        basis: d.serious.basis,
        awareAt: new Date(d.serious.awareAt),
        deadline: new Date(d.serious.deadline),
        ...(d.serious.awareSource ? { awareSource: d.serious.awareSource } : {}),
        ...(d.serious.initialReportAt ? { initialReportAt: new Date(d.serious.initialReportAt), initialReportRef: opt(d.serious.initialReportRef) } : {}),
        reportSubmittedAt: d.serious.reportSubmittedAt ? new Date(d.serious.reportSubmittedAt) : undefined,
        reportRef: opt(d.serious.reportRef),
        ...(d.serious.providerInformedAt ? { providerInformedAt: new Date(d.serious.providerInformedAt), providerInformedNote: opt(d.serious.providerInformedNote) } : {}),
      }
    : undefined,
  killSwitch: !!d.killSwitch,
  createdAt: new Date(d.createdAt),
  updatedAt: new Date(d.updatedAt),
});

/** The projection document: undefined optionals dropped at every depth, so none is stored as null. */
const toDoc = (i: Incident): Record<string, unknown> => {
  const { rev: _rev, ...rest } = i;
  return storable(rest);
};

export class MongoIncidentRepository implements IncidentRepository {
  readonly model: Model<any>;
  readonly records: VersionedRecords<Incident>;
  private readonly keys: Model<any>;
  constructor(conn: Connection, history: MongoHistoryRepository) {
    this.model = conn.models.Incident ?? conn.model('Incident', incidentSchema);
    this.keys = keyModel(conn);
    this.records = new VersionedRecords<Incident>(history, this.model, {
      kind: 'incident',
      keyOf: (i) => i.key,
      toProjection: toDoc,
      fromState: toIncident,
    });
  }

  async create(data: Omit<Incident, 'key' | 'seq'>, changeFor: (key: string) => Change): Promise<Committed<Incident>> {
    const { key, seq } = await allocateKey(this.keys, 'INC');
    return this.records.write({ ...data, key, seq, rev: 0 } as Incident, changeFor(key));
  }

  /** The newest version, from the history (what decisions are made on). Case-insensitive key. */
  get(key: string): Promise<Incident | null> {
    return this.records.head(key.trim().toUpperCase());
  }

  async list(filter: { status?: IncidentStatus[]; useCaseKey?: string; ownerId?: string } = {}): Promise<Incident[]> {
    const q: Record<string, unknown> = {};
    if (filter.status) q.status = { $in: filter.status };
    if (filter.useCaseKey) q.useCaseKey = filter.useCaseKey.toUpperCase();
    if (filter.ownerId) q.ownerId = filter.ownerId;
    const docs = await this.model.find(q).sort({ seq: 1 }).lean();
    return docs.map(toIncident);
  }

  save(incident: Incident, change: Change): Promise<Committed<Incident>> {
    return this.records.write(incident, change);
  }
}
