import type { Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/**
 * Inserts a document with the next human key (UC-n, APR-n, INC-n). The unique index on `seq`
 * is the claim: two writers that read the same maximum collide, and the loser retries with the
 * next number. ($inc counters are not atomic on FerretDB.)
 */
export async function insertWithNextSeq<T extends { key: string; seq: number }>(
  model: Model<any>,
  prefix: string,
  data: Omit<T, 'key' | 'seq'>,
  maxAttempts = 50,
): Promise<T> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const last = await model.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>();
    const seq = (last?.seq ?? 0) + 1 + (attempt > 5 ? Math.floor(Math.random() * 3) : 0);
    const doc = { ...data, seq, key: `${prefix}-${seq}` };
    try {
      await model.create(doc);
      return doc as unknown as T;
    } catch (e) {
      // Only a collision on seq/key is a lost race; any other unique index is the caller's conflict.
      if (isDuplicateKey(e) && /seq|key/.test(String((e as Error).message))) continue;
      throw e;
    }
  }
  throw new Error(`could not allocate a ${prefix} number after ${maxAttempts} attempts`);
}
