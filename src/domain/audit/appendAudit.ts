import type { AuditRepository, Clock } from '../ports';
import type { AuditEntry } from '../types';
import { GENESIS_HASH, hashEntry, normaliseData } from './hash';

export interface AppendAuditInput {
  actorId: string;
  action: string;
  subject: string;
  data?: Record<string, unknown>;
}

/**
 * Appends one entry to the hash-chained trail. Concurrent writers race for the next seq;
 * the unique index on seq lets exactly one win and the others re-read the tail and retry,
 * so the chain never forks.
 */
export async function appendAudit(
  deps: { repo: AuditRepository; clock: Clock },
  input: AppendAuditInput,
): Promise<AuditEntry> {
  const data = normaliseData(input.data);
  for (let attempt = 0; attempt < 100; attempt++) {
    const last = await deps.repo.last();
    const base = {
      seq: (last?.seq ?? 0) + 1,
      at: deps.clock.now(),
      actorId: input.actorId,
      action: input.action,
      subject: input.subject,
      data,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...base, hash: hashEntry(base) };
    if (await deps.repo.insert(entry)) return entry;
    await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
  }
  throw new Error('audit trail: could not append after 100 attempts');
}
