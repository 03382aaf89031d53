import { Schema, type Connection, type Model } from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { ApprovalRepository } from '../domain/ports';
import type { Approval, ApprovalStatus, Vote } from '../domain/types';
import { isDuplicateKey } from './mongoErrors';
import { insertWithNextSeq } from './sequence';

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
  },
  { collection: 'approvals', versionKey: false, minimize: false },
);

/** _id = `${approvalKey}|${personId}`: the unique (approvalKey, personId) pair as the primary key. */
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

/** _id = approval key: whoever inserts it first decides the approval. */
const decisionSchema = new Schema(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'approval_decisions', versionKey: false },
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

const toVote = (d: any): Vote => ({
  approvalKey: d.approvalKey,
  personId: d.personId,
  decision: d.decision,
  ...(d.role ? { role: d.role } : {}),
  ...(d.reason ? { reason: d.reason } : {}),
  at: new Date(d.at),
});

const toApproval = (d: any, votes: Vote[]): Approval => ({
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

export class MongoApprovalRepository implements ApprovalRepository {
  readonly model: Model<any>;
  readonly votes: Model<any>;
  readonly decisions: Model<any>;
  readonly open: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.Approval ?? conn.model('Approval', approvalSchema);
    this.votes = conn.models.ApprovalVote ?? conn.model('ApprovalVote', voteSchema);
    this.decisions = conn.models.ApprovalDecision ?? conn.model('ApprovalDecision', decisionSchema);
    this.open = conn.models.ApprovalOpen ?? conn.model('ApprovalOpen', openSchema);
  }

  /** Claims the use case's open slot; a slot left by an approval that is no longer pending is reclaimed. */
  private async claimOpenSlot(useCaseKey: string, at: Date): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.open.create({ _id: useCaseKey, at });
        return;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const slot = await this.open.findById(useCaseKey).lean<{ approvalKey?: string; at: Date }>();
        const holder = slot?.approvalKey ? await this.model.findOne({ key: slot.approvalKey }).lean<{ status: string }>() : null;
        // A slot without a pending approval is left over from a crash between the two inserts.
        const stale = slot && (slot.approvalKey ? holder?.status !== 'pending' : at.getTime() - new Date(slot.at).getTime() > 60_000);
        if (!stale) {
          throw new ConflictError('approval.already_pending', `${useCaseKey} already has a pending approval${slot?.approvalKey ? ` (${slot.approvalKey})` : ''}.`, {
            approvalKey: slot?.approvalKey,
          });
        }
        await this.open.deleteOne({ _id: useCaseKey, approvalKey: slot!.approvalKey });
      }
    }
    throw new ConflictError('approval.already_pending', `${useCaseKey} already has a pending approval.`);
  }

  async create(data: Omit<Approval, 'key' | 'seq' | 'votes'>): Promise<Approval> {
    await this.claimOpenSlot(data.useCaseKey, data.createdAt);
    try {
      const doc = await insertWithNextSeq<Approval>(this.model, 'APR', withoutUndefined(data) as Omit<Approval, 'key' | 'seq'>);
      await this.open.updateOne({ _id: data.useCaseKey }, { $set: { approvalKey: doc.key } });
      return toApproval(doc, []);
    } catch (e) {
      await this.open.deleteOne({ _id: data.useCaseKey });
      throw e;
    }
  }

  async get(key: string): Promise<Approval | null> {
    const k = key.trim().toUpperCase();
    const d = await this.model.findOne({ key: k }).lean();
    if (!d) return null;
    const votes = await this.votes.find({ approvalKey: k }).sort({ at: 1, _id: 1 }).lean();
    return toApproval(d, votes.map(toVote));
  }

  async list(filter: { status?: ApprovalStatus; useCaseKey?: string; approverId?: string } = {}): Promise<Approval[]> {
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.useCaseKey) query.useCaseKey = filter.useCaseKey.toUpperCase();
    if (filter.approverId) query.approverIds = filter.approverId;
    const docs = await this.model.find(query).sort({ seq: 1 }).lean();
    if (!docs.length) return [];
    const votes = await this.votes.find({ approvalKey: { $in: docs.map((d: any) => d.key) } }).sort({ at: 1, _id: 1 }).lean();
    const byKey = new Map<string, Vote[]>();
    for (const v of votes.map(toVote)) byKey.set(v.approvalKey, [...(byKey.get(v.approvalKey) ?? []), v]);
    return docs.map((d: any) => toApproval(d, byKey.get(d.key) ?? []));
  }

  async addVote(vote: Vote): Promise<void> {
    try {
      await this.votes.create(withoutUndefined({ _id: `${vote.approvalKey}|${vote.personId}`, ...vote }));
    } catch (e) {
      if (isDuplicateKey(e)) throw new ConflictError('approval.already_voted', `You have already voted on ${vote.approvalKey}.`);
      throw e;
    }
  }

  async claimDecision(approvalKey: string, status: Exclude<ApprovalStatus, 'pending'>, at: Date): Promise<boolean> {
    try {
      await this.decisions.create({ _id: approvalKey, status, at });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async claimedDecision(approvalKey: string): Promise<{ status: Exclude<ApprovalStatus, 'pending'>; at: Date } | null> {
    const d = await this.decisions.findOne({ _id: approvalKey.toUpperCase() }).lean<{ status: Exclude<ApprovalStatus, 'pending'>; at: Date }>();
    return d ? { status: d.status, at: new Date(d.at) } : null;
  }

  async save(approval: Approval): Promise<Approval> {
    const { votes: _votes, ...fields } = approval;
    const res = await this.model.replaceOne({ key: approval.key }, withoutUndefined(fields));
    if (res.matchedCount === 0) throw new Error(`approval ${approval.key} does not exist`);
    if (approval.status !== 'pending') await this.open.deleteOne({ _id: approval.useCaseKey, approvalKey: approval.key });
    return approval;
  }
}
