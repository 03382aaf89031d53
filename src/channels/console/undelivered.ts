/**
 * The dashboard's "Undelivered notifications" panel: outbox deliveries that failed (waiting for
 * a retry) or went dead (retries given up), so a message nobody received is seen by someone
 * rather than lost quietly. Reads through DeliveryRepository.list, the outbox's own query.
 */
import { escapeHtml } from '../../conversation/render/html';
import type { Delivery, DeliveryRepository } from '../../domain/ports';
import type { Person } from '../../domain/types';

/** Rows drawn; the heading still counts them all (up to LIST_LIMIT). */
export const MAX_UNDELIVERED_ROWS = 25;
/** How many the panel reads at most: enough to count a bad day, bounded for a slow outbox. */
const LIST_LIMIT = 500;
const ERROR_CHARS = 200;

export const UNDELIVERED_STATUSES = ['failed', 'dead'] as const;

export type UndeliveredSource = Pick<DeliveryRepository, 'list'>;

export function listUndelivered(deliveries: UndeliveredSource): Promise<Delivery[]> {
  return deliveries.list({ status: [...UNDELIVERED_STATUSES], limit: LIST_LIMIT });
}

const utc = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function recipient(d: Delivery, names: ReadonlyMap<string, string>): string {
  if ('personId' in d.to) return names.get(d.to.personId) ?? d.to.personId;
  return `${d.to.channel} channel`;
}

function nextAttempt(d: Delivery): string {
  if (d.status === 'dead') return 'none: gave up';
  return d.nextAttemptAt ? utc(d.nextAttemptAt) : 'not scheduled';
}

/** The panel's table (or an "all delivered" line); `people` names the recipients. */
export function undeliveredTable(list: readonly Delivery[], people: readonly Person[]): string {
  if (!list.length) return '<p class="chart-empty" data-chart="undelivered">Every notification was delivered.</p>';
  const names = new Map(people.map((p) => [p.id, p.name]));
  // Dead first (nobody will get them without help), then the oldest.
  const rows = [...list]
    .sort((a, b) => Number(b.status === 'dead') - Number(a.status === 'dead') || a.createdAt.getTime() - b.createdAt.getTime())
    .slice(0, MAX_UNDELIVERED_ROWS)
    .map(
      (d) =>
        `<tr class="${d.status}" data-key="${escapeHtml(d.key)}"><td>${escapeHtml(recipient(d, names))}</td><td><code>${escapeHtml(d.key)}</code></td>` +
        `<td class="status">${d.status}</td><td>${d.attempts}</td><td class="last-error">${escapeHtml(clip(d.lastError ?? '', ERROR_CHARS))}</td>` +
        `<td>${escapeHtml(nextAttempt(d))}</td></tr>`,
    )
    .join('');
  const more = list.length > MAX_UNDELIVERED_ROWS ? `<p class="panel-note">Showing ${MAX_UNDELIVERED_ROWS} of ${list.length}.</p>` : '';
  return (
    `<table class="undelivered" data-chart="undelivered"><thead><tr><th>Recipient</th><th>Key</th><th>Status</th><th>Attempts</th><th>Last error</th><th>Next attempt</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>${more}`
  );
}
