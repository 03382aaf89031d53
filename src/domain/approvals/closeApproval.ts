import type { Change, DomainContext } from '../ports';
import type { Approval, ApprovalStatus } from '../types';
import { updateRecord } from '../records/updateRecord';

export interface CloseApprovalInput {
  status: Exclude<ApprovalStatus, 'pending'>;
  /** Person id (or 'system') whose action decided it. */
  by: string;
  reasons: string[];
}

/**
 * Decides a pending approval, once. The decision is a version of the approval, so of two
 * callers racing (two final votes, a vote and the expiry job) exactly one writes it; the
 * other re-reads, finds it decided and gets null. Moving the use case on approval is the
 * reaction to the approval.decided event (advanceOnApproval), driven from this durable
 * version, so a crash right after the write only delays it.
 */
export async function closeApproval(ctx: DomainContext, approval: Approval | string, decision: CloseApprovalInput): Promise<Approval | null> {
  const key = typeof approval === 'string' ? approval : approval.key;
  const { record, written } = await updateRecord(ctx, ctx.repos.approvals, key, async (current) => {
    if (current.status !== 'pending') return null;
    return decide(ctx, current, decision, { action: 'approval.decided', data: {} });
  });
  return written ? record : null;
}

/**
 * The decided version of an approval and its change (shared with castVote, whose deciding
 * vote and the decision are one write). `base` carries the action and any extra audit data.
 */
export async function decide(
  ctx: DomainContext,
  approval: Approval,
  decision: CloseApprovalInput,
  base: { action: string; data: Record<string, unknown>; events?: Change['events'] },
): Promise<{ record: Approval; change: Change }> {
  const now = ctx.clock.now();
  const uc = await ctx.repos.useCases.get(approval.useCaseKey);
  const informedIds = [...new Set([...(uc?.raci.flatMap((r) => r.informed) ?? []), approval.requesterId])];
  const willMove = decision.status === 'approved' && uc?.stage === approval.fromStage;
  return {
    record: { ...approval, status: decision.status, decidedAt: now, decidedBy: decision.by, reasons: decision.reasons },
    change: {
      at: now,
      actorId: decision.by,
      action: base.action,
      data: {
        ...base.data,
        useCaseKey: approval.useCaseKey,
        status: decision.status,
        reasons: decision.reasons,
        ...(willMove ? { stage: approval.toStage } : {}),
      },
      events: [
        ...(base.events ?? []),
        {
          type: 'approval.decided',
          at: now,
          actorId: decision.by,
          approvalKey: approval.key,
          useCaseKey: approval.useCaseKey,
          status: decision.status,
          requesterId: approval.requesterId,
          informedIds,
        },
      ],
    },
  };
}
