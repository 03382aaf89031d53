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
 * not atomic on FerretDB.) Databases older than this collection have their keys claimed here by
 * the start-up migration. A writer that dies after claiming leaves a gap in the numbers, never a
 * duplicate.
 */
export async function allocateKey(keys: Model<any>, prefix: string, maxAttempts = 50): Promise<{ key: string; seq: number }> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const claimed = await keys.findOne({ prefix }, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>();
    const seq = (claimed?.seq ?? 0) + 1 + (attempt > 5 ? Math.floor(Math.random() * 3) : 0);
    if (await claimKey(keys, prefix, seq)) return { key: `${prefix}-${seq}`, seq };
  }
  throw new Error(`could not allocate a ${prefix} number after ${maxAttempts} attempts`);
}

/** Claims one key; false if it was taken. */
export async function claimKey(keys: Model<any>, prefix: string, seq: number): Promise<boolean> {
  try {
    await keys.collection.insertOne({ _id: `${prefix}-${seq}` as never, prefix, seq, at: new Date() });
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
