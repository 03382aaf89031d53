/**
 * The model registry, kept as its history (src/store/versioned.ts): every change to a model is
 * one new version in the `model:<name>` stream, inserted under a unique (stream, version), so
 * a status change, an update and an evaluation's restriction written at the same moment each
 * land or are retried on top of the others, never overwritten. The `models` collection is the
 * newest version of each, for lists only.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { Change, Committed, ModelRepository } from '../domain/ports';
import { isStaleWrite } from '../domain/records/staleWrite';
import type { RegisteredModel } from '../domain/types';
import type { MongoHistoryRepository } from './history.repo';
import { VersionedRecords } from './versioned';

const evalSchema = new Schema(
  {
    runId: String,
    suite: String,
    at: Date,
    passed: Boolean,
    passRate: Number,
    hallucinationRate: Number,
    injectionResistance: Number,
    latencyP50Ms: Number,
    latencyP95Ms: Number,
    tokensIn: Number,
    tokensOut: Number,
    cost: Number,
  },
  { _id: false },
);

const modelSchema = new Schema(
  {
    // The handle people type; stored lower-case so the unique index is case-insensitive.
    name: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    provider: { type: String, required: true },
    version: { type: String, required: true },
    hosting: { type: String, required: true, enum: ['hosted_api', 'self_hosted'] },
    baseUrl: String,
    modelName: { type: String, required: true },
    apiKeyEnv: String,
    allowedDataClasses: { type: [String], default: [] },
    pricePer1kInput: { type: Number, default: 0 },
    pricePer1kOutput: { type: Number, default: 0 },
    status: { type: String, required: true },
    statusReason: String,
    ownerId: { type: String, required: true },
    latestEval: { type: evalSchema, default: undefined },
    gpai: { type: new Schema({ provider: String, systemicRisk: Boolean, art53DocsUrl: String }, { _id: false }), default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    /** The history version this projection shows (src/store/versioned.ts). */
    rev: { type: Number },
  },
  { collection: 'models', versionKey: false, minimize: false },
);

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

const toModel = (d: any): RegisteredModel => ({
  ...(typeof d.rev === 'number' ? { rev: d.rev } : {}),
  name: d.name,
  displayName: d.displayName,
  provider: d.provider,
  version: d.version,
  hosting: d.hosting,
  baseUrl: opt(d.baseUrl),
  modelName: d.modelName,
  apiKeyEnv: opt(d.apiKeyEnv),
  allowedDataClasses: [...(d.allowedDataClasses ?? [])],
  pricePer1kInput: d.pricePer1kInput ?? 0,
  pricePer1kOutput: d.pricePer1kOutput ?? 0,
  status: d.status,
  statusReason: opt(d.statusReason),
  ownerId: d.ownerId,
  latestEval: d.latestEval ? { ...d.latestEval, at: new Date(d.latestEval.at) } : undefined,
  ...(d.gpai ? { gpai: { provider: d.gpai.provider, systemicRisk: !!d.gpai.systemicRisk, ...(d.gpai.art53DocsUrl ? { art53DocsUrl: d.gpai.art53DocsUrl } : {}) } } : {}),
  createdAt: new Date(d.createdAt),
  updatedAt: new Date(d.updatedAt),
});

/** Drops undefined optionals so a replace never stores nulls. */
const toDoc = (m: RegisteredModel): Record<string, unknown> =>
  Object.fromEntries(Object.entries({ ...m, name: m.name.toLowerCase() }).filter(([k, v]) => v !== undefined && k !== 'rev'));

export const modelKey = (name: string): string => name.trim().toLowerCase();

export class MongoModelRepository implements ModelRepository {
  readonly model: Model<any>;
  readonly records: VersionedRecords<RegisteredModel>;
  constructor(conn: Connection, history: MongoHistoryRepository) {
    this.model = conn.models.RegisteredModel ?? conn.model('RegisteredModel', modelSchema);
    this.records = new VersionedRecords<RegisteredModel>(history, this.model, {
      kind: 'model',
      keyOf: (m) => modelKey(m.name),
      toProjection: toDoc,
      fromState: toModel,
    });
  }

  /** Version 1 of the model; its stream's first version is the claim on the name. */
  async create(m: RegisteredModel, change: Change): Promise<Committed<RegisteredModel>> {
    const name = modelKey(m.name);
    try {
      return await this.records.write({ ...m, name, rev: 0 }, change);
    } catch (e) {
      if (isStaleWrite(e)) throw new ConflictError('model.exists', `A model named "${name}" is already registered.`);
      throw e;
    }
  }

  /** The newest version, from the history (what decisions are made on). Case-insensitive name. */
  get(name: string): Promise<RegisteredModel | null> {
    return this.records.head(modelKey(name));
  }

  async list(): Promise<RegisteredModel[]> {
    const docs = await this.model.find().sort({ name: 1 }).lean();
    return docs.map(toModel);
  }

  save(m: RegisteredModel, change: Change): Promise<Committed<RegisteredModel>> {
    return this.records.write({ ...m, name: modelKey(m.name) }, change);
  }
}
