import type { DomainContext } from '../ports';
import type { Approval, ApprovalStatus } from '../types';
import { moveStage } from '../usecases/lifecycle';

export interface CloseApprovalInput {
  status: Exclude<ApprovalStatus, 'pending'>;
  /** Person id (or 'system') whose action decided it. */
  by: string;
  reasons: string[];
}

/**
 * Decides an approval exactly once. The decisions collection's unique key picks one winner
 * however many callers race (two final votes, a vote and the expiry job); losers get null and
 * change nothing. The winner stores the outcome, moves the use case on approval, audits and
 * emits approval.decided to the requester and everyone Informed.
 */
export async function closeApproval(ctx: DomainContext, approval: Approval, decision: CloseApprovalInput): Promise<Approval | null> {
  const now = ctx.clock.now();
  if (!(await ctx.repos.approvals.claimDecision(approval.key, decision.status, now))) {
    return finishInterruptedDecision(ctx, approval, decision);
  }
  return applyDecision(ctx, approval, decision);
}

/** A claim older than this on a still-pending approval means its claimant stopped mid-way. */
export const DECISION_LEASE_MS = 2 * 60_000;

/**
 * The claim and the status are two writes (no transactions on FerretDB). If the process that
 * won the claim died before saving, the approval would stay pending for ever with its decision
 * taken; a later caller finishes that decision (the claimed outcome, not its own), once.
 */
async function finishInterruptedDecision(ctx: DomainContext, approval: Approval, decision: CloseApprovalInput): Promise<Approval | null> {
  const claimed = await ctx.repos.approvals.claimedDecision(approval.key);
  if (!claimed || ctx.clock.now().getTime() - claimed.at.getTime() < DECISION_LEASE_MS) return null;
  const current = await ctx.repos.approvals.get(approval.key);
  if (!current || current.status !== 'pending') return null;
  if (!(await ctx.repos.claims.claim(`approval-decision-finish:${approval.key}`))) return null;
  const reasons = claimed.status === decision.status ? decision.reasons : [`Finished a ${claimed.status} decision that was interrupted.`];
  return applyDecision(ctx, current, { status: claimed.status, by: decision.by, reasons });
}

async function applyDecision(ctx: DomainContext, approval: Approval, decision: CloseApprovalInput): Promise<Approval> {
  const now = ctx.clock.now();
  const decided: Approval = { ...approval, status: decision.status, decidedAt: now, decidedBy: decision.by, reasons: decision.reasons };
  await ctx.repos.approvals.save(decided);

  const uc = await ctx.repos.useCases.get(approval.useCaseKey);
  let moved = false;
  // Only advance from the stage the request was made in: a suspension meanwhile wins.
  if (decision.status === 'approved' && uc && uc.stage === approval.fromStage) {
    await ctx.repos.useCases.save(moveStage(uc, approval.toStage, { at: now, by: decision.by, approvalKey: approval.key }));
    moved = true;
  }
  await ctx.audit({
    actorId: decision.by,
    action: 'approval.decided',
    subject: approval.key,
    data: { useCaseKey: approval.useCaseKey, status: decision.status, reasons: decision.reasons, ...(moved ? { stage: approval.toStage } : {}) },
  });
  if (moved) {
    await ctx.audit({
      actorId: decision.by,
      action: 'usecase.stage_changed',
      subject: approval.useCaseKey,
      data: { from: approval.fromStage, to: approval.toStage, approvalKey: approval.key },
    });
  }
  const informedIds = [...new Set([...(uc?.raci.flatMap((r) => r.informed) ?? []), approval.requesterId])];
  await ctx.events.emit({
    type: 'approval.decided',
    at: now,
    actorId: decision.by,
    approvalKey: approval.key,
    useCaseKey: approval.useCaseKey,
    status: decision.status,
    requesterId: approval.requesterId,
    informedIds,
  });
  if (moved) {
    await ctx.events.emit({
      type: 'usecase.stage_changed',
      at: now,
      actorId: decision.by,
      useCaseKey: approval.useCaseKey,
      from: approval.fromStage,
      to: approval.toStage,
    });
  }
  return decided;
}
