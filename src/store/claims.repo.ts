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
      await this.model.create({ _id: key, at: new Date(), data });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }
  async release(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }
}
