import { Schema, type Connection, type Model } from 'mongoose';
import type { Change, Committed, UseCaseFilter, UseCaseRepository } from '../domain/ports';
import type { UseCase } from '../domain/types';
import type { MongoHistoryRepository } from './history.repo';
import { allocateKey, keyModel } from './sequence';
import { VersionedRecords } from './versioned';

const useCaseSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    seq: { type: Number, required: true, unique: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    proposerId: { type: String, required: true },
    ownerId: { type: String, required: true, index: true },
    stage: { type: String, required: true, index: true },
    stageEnteredAt: { type: Date, required: true },
    stageHistory: { type: [Schema.Types.Mixed], default: [] },
    suspendedFrom: { type: String },
    tier: { type: String, required: true, index: true },
    tierReasons: { type: [String], default: [] },
    dataClasses: { type: [String], default: [] },
    answers: { type: Schema.Types.Mixed, default: {} },
    requiredControls: { type: [String], default: [] },
    evidence: { type: [Schema.Types.Mixed], default: [] },
    raci: { type: [Schema.Types.Mixed], default: [] },
    models: { type: [String], default: [], index: true },
    lastReviewAt: { type: Date },
    nextReviewDue: { type: Date },
    /** The tier decision, a lower tier awaiting sign-off and the Art. 6(4) assessment (issue 13). */
    legal: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    /** The history version this projection shows (src/store/versioned.ts). */
    rev: { type: Number },
  },
  { collection: 'use_cases', versionKey: false, minimize: false },
);

const date = (v: unknown): Date => new Date(v as string);

const toUseCase = (d: any): UseCase => ({
  ...(typeof d.rev === 'number' ? { rev: d.rev } : {}),
  key: d.key,
  seq: d.seq,
  title: d.title,
  description: d.description ?? '',
  proposerId: d.proposerId,
  ownerId: d.ownerId,
  stage: d.stage,
  stageEnteredAt: date(d.stageEnteredAt),
  stageHistory: (d.stageHistory ?? []).map((h: any) => ({ ...h, at: date(h.at) })),
  ...(d.suspendedFrom ? { suspendedFrom: d.suspendedFrom } : {}),
  tier: d.tier,
  tierReasons: d.tierReasons ?? [],
  dataClasses: d.dataClasses ?? [],
  answers: d.answers ?? {},
  requiredControls: d.requiredControls ?? [],
  evidence: (d.evidence ?? []).map((e: any) => ({ ...e, at: date(e.at) })),
  raci: (d.raci ?? []).map((r: any) => ({
    area: r.area,
    responsible: r.responsible ?? [],
    accountable: r.accountable ?? [],
    consulted: r.consulted ?? [],
    informed: r.informed ?? [],
  })),
  models: d.models ?? [],
  ...(d.lastReviewAt ? { lastReviewAt: date(d.lastReviewAt) } : {}),
  ...(d.nextReviewDue ? { nextReviewDue: date(d.nextReviewDue) } : {}),
  ...(d.legal ? { legal: toLegal(d.legal) } : {}),
  createdAt: date(d.createdAt),
  updatedAt: date(d.updatedAt),
});

const toLegal = (l: any): NonNullable<UseCase['legal']> => ({
  decision: { ...l.decision, at: date(l.decision.at) },
  ...(l.pending ? { pending: { ...l.pending, at: date(l.pending.at) } } : {}),
  ...(l.art6Assessment ? { art6Assessment: { ...l.art6Assessment, at: date(l.art6Assessment.at) } } : {}),
});

/** Drops undefined optionals so a replace never stores nulls. */
const toDoc = (u: UseCase): Record<string, unknown> => Object.fromEntries(Object.entries(u).filter(([k, v]) => v !== undefined && k !== 'rev'));

const mentions = (u: UseCase, personId: string): boolean =>
  u.proposerId === personId ||
  u.ownerId === personId ||
  u.raci.some((r) => [r.responsible, r.accountable, r.consulted, r.informed].some((ids) => ids.includes(personId)));

/** Plain data and Dates, copied (structuredClone's Dates fail instanceof in another realm, as under jest). */
const deepCopy = (v: unknown): unknown =>
  v instanceof Date
    ? new Date(v.getTime())
    : Array.isArray(v)
      ? v.map(deepCopy)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepCopy(x)]))
        : v;

/** How long getForDisplay may reuse a read; other processes' changes show within this time. */
export const DISPLAY_MAX_AGE_MS = 2_000;
const DISPLAY_MAX_ENTRIES = 500;

/**
 * getForDisplay's recent reads (or reads in flight) by key, and a count of writes, per connection
 * (the model is one per connection), so every repository on it sees the others' writes.
 */
interface DisplayState {
  reads: Map<string, { useCase: Promise<UseCase | null>; until: number }>;
  writes: number;
}
const displayStates = new WeakMap<Model<any>, DisplayState>();

export class MongoUseCaseRepository implements UseCaseRepository {
  readonly model: Model<any>;
  readonly records: VersionedRecords<UseCase>;
  private readonly keys: Model<any>;
  private readonly shared: DisplayState;
  constructor(
    conn: Connection,
    history: MongoHistoryRepository,
    private readonly displayMaxAgeMs = DISPLAY_MAX_AGE_MS,
  ) {
    this.model = conn.models.UseCase ?? conn.model('UseCase', useCaseSchema);
    this.keys = keyModel(conn);
    this.records = new VersionedRecords<UseCase>(history, this.model, {
      kind: 'usecase',
      keyOf: (u) => u.key,
      toProjection: toDoc,
      fromState: toUseCase,
    });
    if (!displayStates.has(this.model)) displayStates.set(this.model, { reads: new Map(), writes: 0 });
    this.shared = displayStates.get(this.model)!;
  }

  async create(data: Omit<UseCase, 'key' | 'seq'>, changeFor: (key: string) => Change): Promise<Committed<UseCase>> {
    try {
      const { key, seq } = await allocateKey(this.keys, 'UC');
      return await this.records.write({ ...data, key, seq, rev: 0 } as UseCase, changeFor(key));
    } finally {
      this.changed();
    }
  }

  /**
   * One use case for showing on a card (`show`, `raci`): the same as get(), but one read serves
   * every caller asking for that key for up to displayMaxAgeMs. A use case is a large document
   * and was the costliest read of a busy channel's commands (bench/slack.bench.ts). Writes
   * through this repository drop every such read at once; another process's writes show within
   * displayMaxAgeMs; "not found" is never kept. Not for decisions: domain operations load with
   * get(), which always reads the database.
   */
  getForDisplay(key: string): Promise<UseCase | null> {
    const state = this.shared;
    const k = key.trim().toUpperCase();
    const now = Date.now();
    let entry = state.reads.get(k);
    if (!entry || entry.until <= now) {
      const writesAtStart = state.writes;
      const fresh = { useCase: this.get(k), until: now + this.displayMaxAgeMs };
      state.reads.delete(k);
      if (state.reads.size >= DISPLAY_MAX_ENTRIES) state.reads.delete(state.reads.keys().next().value!);
      state.reads.set(k, fresh);
      // A failed read, a miss, or a read a write overtook (it may predate the write) is not kept.
      const drop = () => {
        if (state.reads.get(k) === fresh) state.reads.delete(k);
      };
      fresh.useCase.then((uc) => (!uc || state.writes !== writesAtStart) && drop(), drop);
      entry = fresh;
    }
    // A copy, so a caller that edits what it got cannot change what the next caller sees.
    return entry.useCase.then((uc) => (uc ? (deepCopy(uc) as UseCase) : null));
  }

  /** Called after every write attempt (it may have half-happened): display reads may be old. */
  private changed(): void {
    this.shared.writes += 1;
    this.shared.reads.clear();
  }

  /** The newest version, from the history (what decisions are made on). */
  get(key: string): Promise<UseCase | null> {
    return this.records.head(key.trim().toUpperCase());
  }

  async list(filter: UseCaseFilter = {}): Promise<UseCase[]> {
    const query: Record<string, unknown> = {};
    if (filter.stage) query.stage = filter.stage;
    if (filter.tier) query.tier = filter.tier;
    const docs = await this.model.find(query).sort({ seq: 1 }).lean();
    // Person and text filters run here: RACI arrays nest, and the volumes are a register's, not a log's.
    const text = filter.text?.toLowerCase();
    return docs
      .map(toUseCase)
      .filter((u) => !filter.personId || mentions(u, filter.personId))
      .filter((u) => !text || u.title.toLowerCase().includes(text) || u.description.toLowerCase().includes(text));
  }

  async save(useCase: UseCase, change: Change): Promise<Committed<UseCase>> {
    try {
      return await this.records.write(useCase, change);
    } finally {
      this.changed();
    }
  }

  async listByModel(modelName: string): Promise<UseCase[]> {
    const docs = await this.model.find({ models: modelName.toLowerCase() }).sort({ seq: 1 }).lean();
    return docs.map(toUseCase);
  }
}
