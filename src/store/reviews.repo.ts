/**
 * Periodic reviews, kept as their history (src/store/versioned.ts): review N of UC-3 is the
 * stream `review:UC-3#N`. Its version 1 is the (use case, cycle) claim: two schedulers or two
 * completers racing for the same cycle insert the same version and exactly one wins. Completing
 * or cancelling a review is its next version. The `reviews` collection is the newest version of
 * each, for lists; `open` confirms against the history.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { Change, Committed, ReviewRepository } from '../domain/ports';
import { isStaleWrite } from '../domain/records/staleWrite';
import { isOpenReview, reviewKeyOf } from '../domain/reviews/reviewRecords';
import type { Review } from '../domain/types';
import type { MongoHistoryRepository } from './history.repo';
import { VersionedRecords } from './versioned';

const reviewSchema = new Schema(
  {
    // "UC-3#2": one string key carries the (useCaseKey, cycle) uniqueness.
    _id: { type: String, required: true },
    useCaseKey: { type: String, required: true },
    cycle: { type: Number, required: true },
    dueAt: { type: Date, required: true },
    tier: { type: String, required: true },
    frameworks: { type: [String], default: [] },
    completedAt: Date,
    completedBy: String,
    attestation: String,
    evidenceUrl: String,
    cancelledAt: Date,
    cancelledBy: String,
    cancelReason: String,
    /** The history version this projection shows (src/store/versioned.ts). */
    rev: { type: Number },
  },
  { collection: 'reviews', versionKey: false, minimize: false },
);
reviewSchema.index({ useCaseKey: 1 });
reviewSchema.index({ dueAt: 1 });

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
const optDate = (v: unknown): Date | undefined => (v ? new Date(v as string) : undefined);

const toReview = (d: any): Review => ({
  ...(typeof d.rev === 'number' ? { rev: d.rev } : {}),
  useCaseKey: d.useCaseKey,
  cycle: d.cycle,
  dueAt: new Date(d.dueAt),
  tier: d.tier,
  frameworks: [...(d.frameworks ?? [])],
  completedAt: optDate(d.completedAt),
  completedBy: opt(d.completedBy),
  attestation: opt(d.attestation),
  evidenceUrl: opt(d.evidenceUrl),
  ...(d.cancelledAt ? { cancelledAt: new Date(d.cancelledAt), cancelledBy: opt(d.cancelledBy), cancelReason: opt(d.cancelReason) } : {}),
});

const normalized = (r: Review): Review => ({ ...r, useCaseKey: r.useCaseKey.trim().toUpperCase() });

/** Drops undefined optionals so a replace never stores nulls. */
const toDoc = (r: Review): Record<string, unknown> =>
  Object.fromEntries(Object.entries({ _id: reviewKeyOf(r), ...r }).filter(([k, v]) => v !== undefined && k !== 'rev'));

/** `completedAt: null` matches missing fields on both MongoDB and FerretDB. */
const OPEN_QUERY = { completedAt: null, cancelledAt: null };

export class MongoReviewRepository implements ReviewRepository {
  readonly model: Model<any>;
  readonly records: VersionedRecords<Review>;
  constructor(conn: Connection, history: MongoHistoryRepository) {
    this.model = conn.models.Review ?? conn.model('Review', reviewSchema);
    this.records = new VersionedRecords<Review>(history, this.model, {
      kind: 'review',
      keyOf: reviewKeyOf,
      toProjection: toDoc,
      fromState: toReview,
    });
  }

  async create(review: Review, change: Change): Promise<Committed<Review>> {
    const doc = normalized(review);
    try {
      return await this.records.write({ ...doc, rev: 0 }, change);
    } catch (e) {
      if (isStaleWrite(e)) throw new ConflictError('review.exists', `Review ${doc.cycle} of ${doc.useCaseKey} already exists.`);
      throw e;
    }
  }

  get(key: string): Promise<Review | null> {
    return this.records.head(key.trim().toUpperCase());
  }

  /**
   * The newest open review. Candidates come from the projection (open there, or above the
   * highest cycle it knows: written a moment ago), and each is confirmed on the history, which
   * may already have completed or cancelled it.
   */
  async open(useCaseKey: string): Promise<Review | null> {
    const uc = useCaseKey.trim().toUpperCase();
    const docs: any[] = await this.model.find({ useCaseKey: uc }, { cycle: 1, completedAt: 1, cancelledAt: 1 }).lean();
    const candidates = docs.filter((d) => !d.completedAt && !d.cancelledAt).map((d) => d.cycle as number);
    const newer: Review[] = [];
    for (let cycle = Math.max(0, ...docs.map((d) => d.cycle as number)) + 1; ; cycle++) {
      const r = await this.records.head(`${uc}#${cycle}`);
      if (!r) break;
      newer.push(r);
    }
    const fresh = newer.filter(isOpenReview).sort((a, b) => b.cycle - a.cycle)[0];
    if (fresh) return fresh;
    for (const cycle of candidates.sort((a, b) => b - a)) {
      const r = await this.records.head(`${uc}#${cycle}`);
      if (r && isOpenReview(r)) return r;
    }
    return null;
  }

  async list(filter: { useCaseKey?: string; open?: boolean; dueBefore?: Date } = {}): Promise<Review[]> {
    const q: Record<string, unknown> = {};
    if (filter.useCaseKey) q.useCaseKey = filter.useCaseKey.trim().toUpperCase();
    if (filter.open === true) Object.assign(q, OPEN_QUERY);
    if (filter.open === false) q.completedAt = { $ne: null };
    if (filter.dueBefore) q.dueAt = { $lt: filter.dueBefore };
    const docs = await this.model.find(q).sort({ dueAt: 1, useCaseKey: 1, cycle: 1 }).lean();
    return docs.map(toReview);
  }

  save(review: Review, change: Change): Promise<Committed<Review>> {
    return this.records.write(normalized(review), change);
  }
}
