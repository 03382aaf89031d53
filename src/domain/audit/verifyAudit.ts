import type { AuditRepository } from '../ports';
import { GENESIS_HASH, hashEntry } from './hash';

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first entry whose hash, link or sequence is wrong. */
  firstBroken?: { seq: number; reason: string };
}

/** Walks the chain from the start and reports the first broken link. */
export async function verifyAudit(repo: AuditRepository): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for await (const entry of repo.all()) {
    count++;
    if (entry.seq !== expectedSeq) {
      return { ok: false, entries: count, firstBroken: { seq: entry.seq, reason: `expected entry ${expectedSeq}, found ${entry.seq} (an entry is missing)` } };
    }
    if (entry.prevHash !== prevHash) {
      return { ok: false, entries: count, firstBroken: { seq: entry.seq, reason: 'does not link to the previous entry' } };
    }
    const { hash, ...rest } = entry;
    if (hashEntry(rest) !== hash) {
      return { ok: false, entries: count, firstBroken: { seq: entry.seq, reason: 'content does not match its hash (the entry was changed)' } };
    }
    prevHash = hash;
    expectedSeq++;
  }
  return { ok: true, entries: count };
}
