import { ConflictError } from '../errors';

/**
 * Another writer stored the version this one meant to write. Not shown to people: updateRecord
 * re-reads and re-applies the change (re-checking its rules), and only a record that stays
 * contended past its attempts surfaces as "busy, try again".
 */
export class StaleWriteError extends ConflictError {
  constructor(readonly stream: string, readonly version: number) {
    super('record.stale', `${stream.split(':').slice(1).join(':')} was changed by someone else at the same moment; please try again.`, { stream, version });
    this.name = 'StaleWriteError';
  }
}

export const isStaleWrite = (e: unknown): e is StaleWriteError => e instanceof StaleWriteError;
