import type { AuditRepository, Clock, HistoryEntry } from '../ports';
import { type AppendAuditInput, logStream } from './appendAudit';
import { normaliseData } from './hash';

/**
 * Appends a standalone line to the subject's stream unless its newest entry already carries the
 * same `once` mark: exactly one entry however many writers race (a retried Slack event, two
 * processes, one person repeating a refused command within the same minute).
 *
 * Unlike appendAudit, a writer that loses the race for the next version does not go one higher
 * with the same line: it re-reads the head, and stops if the winner wrote that mark. Use a
 * subject of its own for what must be counted once (only the newest entry is compared).
 * Lines with events go through ctx.audit (their reactions); these carry none.
 * Returns the entry written, or null when it was there already.
 */
export async function appendAuditOnce(deps: { repo: AuditRepository; clock: Clock }, input: Omit<AppendAuditInput, 'events'> & { once: string }): Promise<HistoryEntry | null> {
  const stream = logStream(input.subject);
  const data = normaliseData({ ...input.data, once: input.once });
  for (let attempt = 0; attempt < 20; attempt++) {
    const head = await deps.repo.head(stream);
    if (head?.data?.once === input.once) return null;
    const entry = await deps.repo.append({ stream, at: deps.clock.now(), actorId: input.actorId, action: input.action, subject: input.subject, data }, head?.version ?? 0);
    if (entry) return entry;
    await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
  }
  throw new Error('audit trail: could not append after 20 attempts');
}
