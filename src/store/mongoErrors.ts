import { ConflictError } from '../domain/errors';

/** E11000: the unique index said no. This is how exactly-once is decided. */
export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}

/** Runs a write and turns a duplicate-key error into the domain's ConflictError. */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, code: string, message: string): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isDuplicateKey(e)) throw new ConflictError(code, message);
    throw e;
  }
}
