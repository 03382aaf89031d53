import { Schema, type Connection, type Model } from 'mongoose';
import type { IncidentRepository } from '../domain/ports';
import type { Incident, IncidentStatus } from '../domain/types';
import { insertWithNextSeq } from './sequence';

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
        { basis: String, awareAt: Date, deadline: Date, reportSubmittedAt: Date, reportRef: String },
        { _id: false },
      ),
      default: undefined,
    },
    killSwitch: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'incidents', versionKey: false, minimize: false },
);
incidentSchema.index({ status: 1 });
incidentSchema.index({ useCaseKey: 1 });

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

const toIncident = (d: any): Incident => ({
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
        reportSubmittedAt: d.serious.reportSubmittedAt ? new Date(d.serious.reportSubmittedAt) : undefined,
        reportRef: opt(d.serious.reportRef),
      }
    : undefined,
  killSwitch: !!d.killSwitch,
  createdAt: new Date(d.createdAt),
  updatedAt: new Date(d.updatedAt),
});

const stripUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export class MongoIncidentRepository implements IncidentRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.Incident ?? conn.model('Incident', incidentSchema);
  }
  async create(data: Omit<Incident, 'key' | 'seq'>): Promise<Incident> {
    const doc = await insertWithNextSeq<Incident>(this.model, 'INC', stripUndefined(data) as Omit<Incident, 'key' | 'seq'>);
    return toIncident(doc);
  }
  async get(key: string): Promise<Incident | null> {
    const d = await this.model.findOne({ key: key.trim().toUpperCase() }).lean();
    return d ? toIncident(d) : null;
  }
  async list(filter: { status?: IncidentStatus[]; useCaseKey?: string; ownerId?: string } = {}): Promise<Incident[]> {
    const q: Record<string, unknown> = {};
    if (filter.status) q.status = { $in: filter.status };
    if (filter.useCaseKey) q.useCaseKey = filter.useCaseKey.toUpperCase();
    if (filter.ownerId) q.ownerId = filter.ownerId;
    const docs = await this.model.find(q).sort({ seq: 1 }).lean();
    return docs.map(toIncident);
  }
  async save(incident: Incident): Promise<Incident> {
    const { key, seq, ...rest } = incident;
    await this.model.replaceOne({ key }, stripUndefined({ key, seq, ...rest }));
    return incident;
  }
}
