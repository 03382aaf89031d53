import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { DomainContext } from '../ports';
import type { Approval } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { approvalKey } from './castVote';
import { closeApproval, decide } from './closeApproval';
import { updateRecord } from '../records/updateRecord';

export const cancelApprovalInput = z.object({
  actorId: z.string().min(1),
  approvalKey,
  reason: z.string().trim().min(1, 'say why the request is withdrawn').max(1000),
});
export type CancelApprovalInput = z.input<typeof cancelApprovalInput>;

/** Withdraws a pending request (the requester or an AI CoE admin). The stage stays where it is. */
export async function cancelApproval(ctx: DomainContext, raw: CancelApprovalInput): Promise<Approval> {
  const input = parseInput(cancelApprovalInput, raw, 'approval.invalid_cancel');
  const actor = await requireActor(ctx, input.actorId);
  const { record } = await updateRecord(
    ctx,
    ctx.repos.approvals,
    input.approvalKey,
    (approval) => {
      if (approval.requesterId !== actor.id && !hasRole(actor, ADMIN_ROLE)) {
        throw new ForbiddenError('approval.cancel_forbidden', `Only the requester or an AI CoE admin can cancel ${approval.key}.`);
      }
      if (approval.status !== 'pending') throw new ConflictError('approval.decided', `${approval.key} is already ${approval.status}.`);
      return decide(ctx, approval, { status: 'cancelled', by: actor.id, reasons: [input.reason] }, { action: 'approval.decided', data: {} });
    },
    () => new NotFoundError('approval.not_found', `${input.approvalKey} does not exist.`),
  );
  return record;
}

/**
 * The reaction to a use case leaving service (suspended, retired): its pending approval is
 * cancelled so it cannot advance the use case behind the switch. Idempotent: a second run
 * finds nothing pending.
 */
export async function cancelPendingFor(ctx: DomainContext, useCaseKey: string, by: string, reason: string): Promise<string | null> {
  const [pending] = await ctx.repos.approvals.list({ status: 'pending', useCaseKey });
  if (!pending) return null;
  return (await closeApproval(ctx, pending.key, { status: 'cancelled', by, reasons: [reason] })) ? pending.key : null;
}
