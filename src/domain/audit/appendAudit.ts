import type { AuditRepository, Clock, HistoryEntry } from '../ports';
import type { DomainEvent } from '../events';
import { normaliseData } from './hash';

export interface AppendAuditInput {
  actorId: string;
  action: string;
  subject: string;
  data?: Record<string, unknown>;
  events?: DomainEvent[];
}

/** Stream of a standalone log line: one per subject, so writers about different things never wait on each other. */
export const logStream = (subject: string): string => `log:${subject}`;

/**
 * Appends one standalone line to the trail, for acts that change no record (an evaluation
 * queued, an export). Writers on the same subject race for the next version of its stream;
 * the unique (stream, version) lets exactly one win and the others re-read the head and retry.
 */
export async function appendAudit(deps: { repo: AuditRepository; clock: Clock }, input: AppendAuditInput): Promise<HistoryEntry> {
  const stream = logStream(input.subject);
  for (let attempt = 0; attempt < 100; attempt++) {
    const head = await deps.repo.head(stream);
    const entry = await deps.repo.append(
      { stream, at: deps.clock.now(), actorId: input.actorId, action: input.action, subject: input.subject, data: normaliseData(input.data), events: input.events },
      head?.version ?? 0,
    );
    if (entry) return entry;
    await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
  }
  throw new Error('audit trail: could not append after 100 attempts');
}
