/** The answer to `audit verify`: is the trail intact, what was checked, and if not, where it breaks. */
import { formatDate } from './format';
import type { Card } from './model';

export interface AuditVerifyResult {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** Streams (records and log subjects) they belong to. */
  streams: number;
  /** The newest signed checkpoint, which the trail was checked against. */
  checkpoint?: { seq: number; at: Date };
  /** The first problem: where ("usecase:UC-3 version 4", "checkpoint 7") and what. */
  broken?: { where: string; reason: string };
  checkedAt: Date;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function auditVerifyCard(result: AuditVerifyResult): Card {
  const what = `${plural(result.entries, 'entry', 'entries')} in ${plural(result.streams, 'stream', 'streams')}`;
  const text = !result.ok
    ? `The trail is broken at ${result.broken?.where ?? 'an unknown place'}${result.broken ? `: ${result.broken.reason}` : ''}. Compare it with an exported copy or a backup to see what changed.`
    : result.checkpoint
      ? `All ${what} chain correctly, and everything checkpoint ${result.checkpoint.seq} signed is still there.`
      : `All ${what} chain correctly. No signed checkpoint yet, so deleted newest entries could not be detected; the worker signs one every 5 minutes.`;
  return {
    title: result.ok ? 'Audit trail intact' : 'Audit trail broken',
    badge: result.ok ? { label: 'Verified', tone: 'good' } : { label: 'Tampered', tone: 'danger' },
    text,
    fields: [
      { label: 'Entries checked', value: String(result.entries) },
      { label: 'Streams', value: String(result.streams) },
      { label: 'Checkpoint', value: result.checkpoint ? `${result.checkpoint.seq}, signed ${formatDate(result.checkpoint.at)}` : 'none yet' },
      ...(result.broken ? [{ label: 'Broken at', value: result.broken.where }] : []),
    ],
    context: `Checked ${formatDate(result.checkedAt)}`,
  };
}
