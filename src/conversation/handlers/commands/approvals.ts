/** approvals (pending for me), approve, reject: votes go through castVote, nothing else. */
import { castVote } from '../../../domain/approvals/castVote';
import { listApprovals } from '../../../domain/approvals/listApprovals';
import { NotFoundError } from '../../../domain/errors';
import type { Approval, Person } from '../../../domain/types';
import { approvalListCard } from '../../cards/approval';
import type { Card } from '../../cards/model';
import { loadApprovalView } from '../../approvalView';
import { peopleIndex, type HandlerDeps } from '../deps';
import type { Reply } from '../types';

/** The approval's card as `viewer` sees it: buttons only while they may still vote. */
export async function approvalCardFor({ ctx }: HandlerDeps, approval: Approval, viewer: Person): Promise<Card> {
  return (await loadApprovalView(ctx, approval))({ viewerId: viewer.id });
}

export async function showApproval(deps: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const approval = await deps.ctx.repos.approvals.get(key);
  if (!approval) throw new NotFoundError('approval.not_found', `${key} does not exist.`);
  return { cards: [await approvalCardFor(deps, approval, actor)] };
}

export async function pendingApprovals({ ctx }: HandlerDeps, actor: Person, page = 1): Promise<Reply> {
  const approvals = await listApprovals(ctx, { actorId: actor.id, pendingForMe: true });
  return {
    cards: [approvalListCard({ approvals, page, policy: ctx.policy, people: await peopleIndex(ctx), now: ctx.clock.now() })],
  };
}

/**
 * One vote. The reply is the approval card as the voter now sees it (their vote recorded, no
 * buttons); the other approvers' copies are redrawn for each of them by the channels'
 * subscribers to the vote (src/notifications/approvalCopies.ts).
 */
export async function vote(
  deps: HandlerDeps,
  actor: Person,
  approvalKey: string,
  decision: 'approve' | 'reject',
  reason?: string,
): Promise<Reply> {
  const result = await castVote(deps.ctx, { actorId: actor.id, approvalKey, decision, ...(reason ? { reason } : {}) });
  const fresh = (await deps.ctx.repos.approvals.get(result.approval.key)) ?? result.approval;
  const card = await approvalCardFor(deps, fresh, actor);
  return { cards: [card], updated: card };
}
