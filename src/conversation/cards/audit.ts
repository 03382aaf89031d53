/** The answer to `audit verify`: is the hash chain intact, and if not, where it breaks. */
import { formatDate } from './format';
import type { Card } from './model';

export interface AuditVerifyResult {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** Sequence number of the first entry that does not chain. */
  brokenAt?: number;
  reason?: string;
  lastHash?: string;
  checkedAt: Date;
}

export function auditVerifyCard(result: AuditVerifyResult): Card {
  return {
    title: result.ok ? 'Audit trail intact' : 'Audit trail broken',
    badge: result.ok ? { label: 'Verified', tone: 'good' } : { label: 'Tampered', tone: 'danger' },
    text: result.ok
      ? `All ${result.entries} entries chain correctly.`
      : `The chain breaks at entry ${result.brokenAt ?? '?'}${result.reason ? `: ${result.reason}` : ''}. Entries from there on cannot be trusted.`,
    fields: [
      { label: 'Entries checked', value: String(result.entries) },
      ...(result.lastHash ? [{ label: 'Last hash', value: result.lastHash }] : []),
    ],
    context: `Checked ${formatDate(result.checkedAt)}`,
  };
}
