import { Schema, type Connection, type Model } from 'mongoose';
import type { ModelRepository } from '../domain/ports';
import type { RegisteredModel } from '../domain/types';
import { conflictOnDuplicate } from './mongoErrors';

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
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'models', versionKey: false, minimize: false },
);

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

const toModel = (d: any): RegisteredModel => ({
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
  createdAt: new Date(d.createdAt),
  updatedAt: new Date(d.updatedAt),
});

const stripUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export class MongoModelRepository implements ModelRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.RegisteredModel ?? conn.model('RegisteredModel', modelSchema);
  }
  async create(m: RegisteredModel): Promise<RegisteredModel> {
    const doc = { ...m, name: m.name.toLowerCase() };
    await conflictOnDuplicate(() => this.model.create(stripUndefined(doc)), 'model.exists', `A model named "${doc.name}" is already registered.`);
    return toModel(doc);
  }
  async get(name: string): Promise<RegisteredModel | null> {
    const d = await this.model.findOne({ name: name.trim().toLowerCase() }).lean();
    return d ? toModel(d) : null;
  }
  async list(): Promise<RegisteredModel[]> {
    const docs = await this.model.find().sort({ name: 1 }).lean();
    return docs.map(toModel);
  }
  async save(m: RegisteredModel): Promise<RegisteredModel> {
    const name = m.name.toLowerCase();
    // replaceOne so optional fields cleared in the domain are cleared in the store too.
    await this.model.replaceOne({ name }, stripUndefined({ ...m, name }));
    return toModel({ ...m, name });
  }
}
