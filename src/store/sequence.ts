import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/** _id = the human key (`UC-7`): inserting it is the claim on that number. */
const keySchema = new Schema(
  { _id: { type: String, required: true }, prefix: { type: String, required: true }, seq: { type: Number, required: true }, at: { type: Date, required: true } },
  { collection: 'record_keys', versionKey: false },
);
keySchema.index({ prefix: 1, seq: -1 });

export const keyModel = (conn: Connection): Model<any> => conn.models.RecordKey ?? conn.model('RecordKey', keySchema);

/**
 * Allocates the next human key (UC-n, APR-n, INC-n) by inserting it: two writers that read the
 * same maximum collide on the unique _id and the loser tries the next number. ($inc counters are
 * not atomic on FerretDB.) `projection` is read too, for databases older than this collection.
 * A writer that dies after claiming leaves a gap in the numbers, never a duplicate.
 */
export async function allocateKey(keys: Model<any>, projection: Model<any>, prefix: string, maxAttempts = 50): Promise<{ key: string; seq: number }> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const [claimed, stored] = await Promise.all([
      keys.findOne({ prefix }, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>(),
      attempt === 0 ? projection.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>() : Promise.resolve(null),
    ]);
    const seq = Math.max(claimed?.seq ?? 0, stored?.seq ?? 0) + 1 + (attempt > 5 ? Math.floor(Math.random() * 3) : 0);
    try {
      await keys.collection.insertOne({ _id: `${prefix}-${seq}` as never, prefix, seq, at: new Date() });
      return { key: `${prefix}-${seq}`, seq };
    } catch (e) {
      if (isDuplicateKey(e)) continue;
      throw e;
    }
  }
  throw new Error(`could not allocate a ${prefix} number after ${maxAttempts} attempts`);
}
