/**
 * Pending approvals against their expiry: approvers who have not voted are nudged shortly
 * before it, and a request past its expiry is closed as expired (closeApproval decides it
 * exactly once and emits approval.decided, which tells the requester and the Informed).
 */
import { closeApproval } from '../approvals/closeApproval';
import type { OutboundMessage } from '../ports';
import { enqueueAll, notice, type ScheduleContext } from './context';
import { DAY_MS, formatUtc } from './dates';

export const NUDGE_BEFORE_EXPIRY_MS = DAY_MS;

export const approvalNudgeKey = (approvalKey: string, personId: string): string => `approval.expiring:${approvalKey}:${personId}`;

export interface SweepApprovalsResult {
  nudged: number;
  expired: string[];
}

export async function sweepApprovals(
  ctx: ScheduleContext,
  input: { nudgeBeforeMs?: number } = {},
): Promise<SweepApprovalsResult> {
  const now = ctx.clock.now();
  const nudgeBeforeMs = input.nudgeBeforeMs ?? NUDGE_BEFORE_EXPIRY_MS;
  const pending = await ctx.repos.approvals.list({ status: 'pending' });
  const messages: OutboundMessage[] = [];
  const expired: string[] = [];
  for (const a of pending) {
    if (now.getTime() >= a.expiresAt.getTime()) {
      const reason = `No decision before it expired on ${a.expiresAt.toISOString().slice(0, 10)}.`;
      const closed = await closeApproval(ctx, a, { status: 'expired', by: 'system', reasons: [reason] });
      if (closed) expired.push(a.key);
      continue;
    }
    if (now.getTime() < a.expiresAt.getTime() - nudgeBeforeMs) continue;
    const voted = new Set(a.votes.map((v) => v.personId));
    const hours = Math.max(1, Math.round((a.expiresAt.getTime() - now.getTime()) / 3_600_000));
    const text = `${a.key} for ${a.useCaseKey} (${a.fromStage} → ${a.toStage}) expires in about ${hours} hour${hours === 1 ? '' : 's'} and still needs your vote: "approve ${a.key}" or "reject ${a.key} <reason>".`;
    for (const personId of a.approverIds.filter((id) => !voted.has(id))) {
      messages.push({
        key: approvalNudgeKey(a.key, personId),
        to: { personId },
        text,
        card: notice(`${a.key} expires soon`, text, [{ label: 'Expires', value: formatUtc(a.expiresAt) }]),
      });
    }
  }
  return { nudged: await enqueueAll(ctx, messages), expired };
}
