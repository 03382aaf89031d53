/** `history UC-3`: every change of one record, newest first: when, who, what and why. */
import type { RecordHistory } from '../../domain/records/getHistory';
import { clip, formatDate, humanise, nameOf, type PeopleIndex } from './format';
import type { Card } from './model';

/** Shown at most; the full trail is in `npm run audit:export`. */
export const HISTORY_LIMIT = 25;

/** Data fields worth a word in a history line, and how they read ('' = the value alone). */
const LABELS: Record<string, string> = { from: 'from', to: 'to', status: 'status', decision: 'decision', reason: 'reason', controlId: 'control', url: '', area: 'area', part: 'part' };

/** The details people care about in a change's data, in a few words. */
function detail(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, label] of Object.entries(LABELS)) {
    const v = data[k];
    if (typeof v === 'string' && v) parts.push(label ? `${label} ${v}` : v);
  }
  const vote = data.vote as { decision?: string } | undefined;
  if (vote?.decision) parts.push(`vote ${vote.decision}`);
  return clip(parts.join(', '), 300);
}

export function historyCard(history: RecordHistory, people: PeopleIndex): Card {
  const newest = [...history.entries].reverse();
  const shown = newest.slice(0, HISTORY_LIMIT);
  const lines = shown.map((e) => {
    const by = e.actorId === 'system' ? 'Steward' : nameOf(people, e.actorId);
    const why = detail(e.data);
    const cause = e.cause ? ` (because of ${e.cause.split(':').slice(1).join(':')})` : '';
    return `v${e.version} · ${formatDate(e.at)} · ${by}: ${humanise(e.action.split('.').slice(1).join('.') || e.action)}${why ? ` — ${why}` : ''}${cause}`;
  });
  const more = newest.length - shown.length;
  return {
    title: `History of ${history.key}`,
    badge: { label: `${history.entries.length} ${history.entries.length === 1 ? 'version' : 'versions'}`, tone: 'neutral' },
    text: lines.join('\n') + (more > 0 ? `\n…and ${more} older ${more === 1 ? 'change' : 'changes'} (export the audit trail for all of them).` : ''),
  };
}
