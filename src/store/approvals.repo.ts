import { Schema, type Connection, type Model } from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { ApprovalRepository, Change, Committed } from '../domain/ports';
import type { Approval, ApprovalStatus, Vote } from '../domain/types';
import type { MongoHistoryRepository } from './history.repo';
import { isDuplicateKey } from './mongoErrors';
import { allocateKey, keyModel } from './sequence';
import { VersionedRecords } from './versioned';

const approvalSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    seq: { type: Number, required: true, unique: true },
    useCaseKey: { type: String, required: true, index: true },
    gateId: { type: String, required: true },
    fromStage: { type: String, required: true },
    toStage: { type: String, required: true },
    requesterId: { type: String, required: true },
    requiredRoles: { type: [String], default: [] },
    quorum: { type: Number, required: true },
    mustInclude: { type: [String], default: undefined },
    approverIds: { type: [String], default: [], index: true },
    status: { type: String, required: true, index: true },
    reasons: { type: [String], default: [] },
    decidedAt: { type: Date },
    decidedBy: { type: String },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    /** Votes of this version (the history holds every version). */
    votes: { type: [Schema.Types.Mixed], default: [] },
    /** The history version this projection shows (src/store/versioned.ts). */
    rev: { type: Number },
  },
  { collection: 'approvals', versionKey: false, minimize: false },
);

/** Votes as stored before votes became part of the approval's versions: read by the migration only. */
const voteSchema = new Schema(
  {
    _id: { type: String, required: true },
    approvalKey: { type: String, required: true, index: true },
    personId: { type: String, required: true },
    decision: { type: String, required: true },
    role: { type: String },
    reason: { type: String },
    at: { type: Date, required: true },
  },
  { collection: 'approval_votes', versionKey: false },
);

/**
 * _id = use case key while one of its approvals is pending: "one open request per use case"
 * without a partial unique index (FerretDB has none). Removed when the approval leaves pending.
 */
const openSchema = new Schema(
  {
    _id: { type: String, required: true },
    approvalKey: { type: String },
    at: { type: Date, required: true },
  },
  { collection: 'approval_open', versionKey: false },
);

/** A stored vote (in an approval's state, or in the old approval_votes collection). */
export const toVote = (d: any): Vote => ({
  approvalKey: d.approvalKey,
  personId: d.personId,
  decision: d.decision,
  ...(d.role ? { role: d.role } : {}),
  ...(d.reason ? { reason: d.reason } : {}),
  at: new Date(d.at),
});

const toApproval = (d: any, votes: Vote[] = (d.votes ?? []).map(toVote)): Approval => ({
  ...(typeof d.rev === 'number' ? { rev: d.rev } : {}),
  key: d.key,
  seq: d.seq,
  useCaseKey: d.useCaseKey,
  gateId: d.gateId,
  fromStage: d.fromStage,
  toStage: d.toStage,
  requesterId: d.requesterId,
  requiredRoles: d.requiredRoles ?? [],
  quorum: d.quorum,
  ...(d.mustInclude?.length ? { mustInclude: d.mustInclude } : {}),
  approverIds: d.approverIds ?? [],
  votes,
  status: d.status,
  reasons: d.reasons ?? [],
  ...(d.decidedAt ? { decidedAt: new Date(d.decidedAt) } : {}),
  ...(d.decidedBy ? { decidedBy: d.decidedBy } : {}),
  expiresAt: new Date(d.expiresAt),
  createdAt: new Date(d.createdAt),
});

const withoutUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const toDoc = (a: Approval): Record<string, unknown> => {
  const { rev: _rev, ...fields } = a;
  return withoutUndefined({ ...fields, votes: a.votes.map((v) => withoutUndefined({ ...v })) });
};

export class MongoApprovalRepository implements ApprovalRepository {
  readonly model: Model<any>;
  readonly votes: Model<any>;
  readonly open: Model<any>;
  readonly records: VersionedRecords<Approval>;
  private readonly keys: Model<any>;
  constructor(conn: Connection, history: MongoHistoryRepository) {
    this.model = conn.models.Approval ?? conn.model('Approval', approvalSchema);
    this.votes = conn.models.ApprovalVote ?? conn.model('ApprovalVote', voteSchema);
    this.open = conn.models.ApprovalOpen ?? conn.model('ApprovalOpen', openSchema);
    this.keys = keyModel(conn);
    this.records = new VersionedRecords<Approval>(history, this.model, {
      kind: 'approval',
      keyOf: (a) => a.key,
      toProjection: toDoc,
      fromState: (state) => toApproval(state),
    });
  }

  /**
   * Claims the use case's open slot for `approvalKey`; a slot held by an approval that is no
   * longer pending (or never got written: its writer died) is released and claimed again.
   */
  private async claimOpenSlot(useCaseKey: string, approvalKey: string, at: Date): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.open.collection.insertOne({ _id: useCaseKey as never, approvalKey, at });
        return;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const slot = await this.open.findById(useCaseKey).lean<{ approvalKey?: string; at: Date }>();
        if (!slot) continue;
        const holder = slot.approvalKey ? await this.records.head(slot.approvalKey) : null;
        const stale = holder ? holder.status !== 'pending' : at.getTime() - new Date(slot.at).getTime() > 60_000;
        if (!stale) {
          throw new ConflictError('approval.already_pending', `${useCaseKey} already has a pending approval${slot.approvalKey ? ` (${slot.approvalKey})` : ''}.`, {
            approvalKey: slot.approvalKey,
          });
        }
        // A claim, not record data: only the stale holder's slot is removed.
        await this.open.deleteOne({ _id: useCaseKey, approvalKey: slot.approvalKey });
      }
    }
    throw new ConflictError('approval.already_pending', `${useCaseKey} already has a pending approval.`);
  }

  async create(data: Omit<Approval, 'key' | 'seq' | 'votes'>, changeFor: (key: string) => Change): Promise<Committed<Approval>> {
    const { key, seq } = await allocateKey(this.keys, 'APR');
    await this.claimOpenSlot(data.useCaseKey, key, data.createdAt);
    return this.records.write({ ...(withoutUndefined(data) as Omit<Approval, 'key' | 'seq' | 'votes'>), key, seq, votes: [], rev: 0 }, changeFor(key));
  }

  get(key: string): Promise<Approval | null> {
    return this.records.head(key.trim().toUpperCase());
  }

  async list(filter: { status?: ApprovalStatus; useCaseKey?: string; approverId?: string } = {}): Promise<Approval[]> {
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.useCaseKey) query.useCaseKey = filter.useCaseKey.toUpperCase();
    if (filter.approverId) query.approverIds = filter.approverId;
    const docs = await this.model.find(query).sort({ seq: 1 }).lean();
    return docs.map((d: any) => toApproval(d));
  }

  /** The open slot is released lazily: the next request finds its holder no longer pending. */
  save(approval: Approval, change: Change): Promise<Committed<Approval>> {
    return this.records.write(approval, change);
  }
}
