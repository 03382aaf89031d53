import { Schema, type Connection, type Model } from 'mongoose';
import type { ReviewRepository } from '../domain/ports';
import type { Review } from '../domain/types';
import { conflictOnDuplicate } from './mongoErrors';

const reviewSchema = new Schema(
  {
    // "UC-3#2": one string key carries the (useCaseKey, cycle) uniqueness, which works the
    // same on FerretDB as on MongoDB without relying on compound unique indexes.
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
  },
  { collection: 'reviews', versionKey: false, minimize: false },
);
reviewSchema.index({ useCaseKey: 1 });
reviewSchema.index({ dueAt: 1 });

const idOf = (r: Pick<Review, 'useCaseKey' | 'cycle'>) => `${r.useCaseKey.toUpperCase()}#${r.cycle}`;
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

const toReview = (d: any): Review => ({
  useCaseKey: d.useCaseKey,
  cycle: d.cycle,
  dueAt: new Date(d.dueAt),
  tier: d.tier,
  frameworks: [...(d.frameworks ?? [])],
  completedAt: d.completedAt ? new Date(d.completedAt) : undefined,
  completedBy: opt(d.completedBy),
  attestation: opt(d.attestation),
  evidenceUrl: opt(d.evidenceUrl),
});

const stripUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export class MongoReviewRepository implements ReviewRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.Review ?? conn.model('Review', reviewSchema);
  }
  async create(review: Review): Promise<Review> {
    const doc = { ...review, useCaseKey: review.useCaseKey.toUpperCase() };
    await conflictOnDuplicate(
      () => this.model.create(stripUndefined({ _id: idOf(doc), ...doc })),
      'review.exists',
      `Review ${doc.cycle} of ${doc.useCaseKey} already exists.`,
    );
    return doc;
  }
  async open(useCaseKey: string): Promise<Review | null> {
    // `completedAt: null` matches missing fields on both MongoDB and FerretDB.
    const d = await this.model
      .findOne({ useCaseKey: useCaseKey.toUpperCase(), completedAt: null })
      .sort({ cycle: -1 })
      .lean();
    return d ? toReview(d) : null;
  }
  async list(filter: { useCaseKey?: string; open?: boolean; dueBefore?: Date } = {}): Promise<Review[]> {
    const q: Record<string, unknown> = {};
    if (filter.useCaseKey) q.useCaseKey = filter.useCaseKey.toUpperCase();
    if (filter.open === true) q.completedAt = null;
    if (filter.open === false) q.completedAt = { $ne: null };
    if (filter.dueBefore) q.dueAt = { $lt: filter.dueBefore };
    const docs = await this.model.find(q).sort({ dueAt: 1, useCaseKey: 1, cycle: 1 }).lean();
    return docs.map(toReview);
  }
  async save(review: Review): Promise<Review> {
    const doc = { ...review, useCaseKey: review.useCaseKey.toUpperCase() };
    await this.model.replaceOne({ _id: idOf(doc) }, stripUndefined({ _id: idOf(doc), ...doc }));
    return doc;
  }
  async deleteOpen(useCaseKey: string): Promise<void> {
    await this.model.deleteMany({ useCaseKey: useCaseKey.toUpperCase(), completedAt: null });
  }
}
