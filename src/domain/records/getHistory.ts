/**
 * A record's history, as people read it: who changed what, when and why, version by version.
 * Incident histories hold what the incident holds (descriptions are redacted before storage).
 */
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { parseInput } from '../people/actor';
import type { DomainContext, HistoryEntry } from '../ports';

const STREAM_OF: Record<string, string> = { UC: 'usecase', APR: 'approval', INC: 'incident' };

export const getHistoryInput = z.object({
  actorId: z.string().min(1),
  key: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^(UC|APR|INC)-\d+$/, 'expected a record key such as UC-3, APR-2 or INC-4'),
});
export type GetHistoryInput = z.input<typeof getHistoryInput>;

export interface RecordHistory {
  key: string;
  /** Oldest first; the record's states are left out (they are what `show` displays). */
  entries: Omit<HistoryEntry, 'state'>[];
}

export async function getHistory(ctx: DomainContext, raw: GetHistoryInput): Promise<RecordHistory> {
  const input = parseInput(getHistoryInput, raw, 'history.invalid');
  const kind = STREAM_OF[input.key.split('-')[0]!]!;
  const entries = await ctx.repos.audit.history(`${kind}:${input.key}`);
  if (!entries.length) throw new NotFoundError('history.not_found', `${input.key} does not exist.`);
  return { key: input.key, entries: entries.map(({ state: _state, ...e }) => e) };
}
