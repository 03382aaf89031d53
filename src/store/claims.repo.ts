import { Schema, type Connection, type Model } from 'mongoose';
import type { ClaimRepository } from '../domain/ports';
import { isDuplicateKey } from './mongoErrors';

const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    data: { type: Schema.Types.Mixed },
  },
  { collection: 'claims', versionKey: false },
);

/** The exactly-once primitive: inserting a key either succeeds once or hits E11000. */
export class MongoClaimRepository implements ClaimRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.Claim ?? conn.model('Claim', claimSchema);
  }
  async claim(key: string, data?: Record<string, unknown>): Promise<boolean> {
    try {
      // The driver's insertOne, not Model.create: a claim runs before every chat interaction, and
      // building and validating a mongoose document cost more CPU than the insert itself (measured
      // ~0.8 ms per claim; bench/slack.bench.ts). The unique _id still decides, as before.
      await this.model.collection.insertOne({ _id: key as never, at: new Date(), ...(data === undefined ? {} : { data }) });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }
  async release(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }
  async pruneChannelClaims(channels: string[], before: Date): Promise<number> {
    // FerretDB has no TTL indexes, so old retry claims are deleted by a daily job instead.
    const res = await this.model.deleteMany({ 'data.channel': { $in: channels }, at: { $lt: before } });
    return res.deletedCount ?? 0;
  }
}
