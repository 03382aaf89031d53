/** approvals (pending for me), approve, reject: votes go through castVote, nothing else. */
import { castVote } from '../../../domain/approvals/castVote';
import { listApprovals } from '../../../domain/approvals/listApprovals';
import { NotFoundError } from '../../../domain/errors';
import type { Approval, Person } from '../../../domain/types';
import { approvalCard, approvalListCard } from '../../cards/approval';
import type { Card } from '../../cards/model';
import { peopleIndex, type HandlerDeps } from '../deps';
import type { Reply } from '../types';

export async function approvalCardFor({ ctx }: HandlerDeps, approval: Approval): Promise<Card> {
  const useCase = await ctx.repos.useCases.get(approval.useCaseKey);
  return approvalCard({
    approval,
    policy: ctx.policy,
    people: await peopleIndex(ctx),
    now: ctx.clock.now(),
    ...(useCase ? { useCase } : {}),
  });
}

export async function showApproval(deps: HandlerDeps, key: string): Promise<Reply> {
  const approval = await deps.ctx.repos.approvals.get(key);
  if (!approval) throw new NotFoundError('approval.not_found', `${key} does not exist.`);
  return { cards: [await approvalCardFor(deps, approval)] };
}

export async function pendingApprovals({ ctx }: HandlerDeps, actor: Person, page = 1): Promise<Reply> {
  const approvals = await listApprovals(ctx, { actorId: actor.id, pendingForMe: true });
  return {
    cards: [approvalListCard({ approvals, page, policy: ctx.policy, people: await peopleIndex(ctx), now: ctx.clock.now() })],
  };
}

/** One vote. The reply is the re-rendered approval card: decided cards carry no buttons. */
export async function vote(
  deps: HandlerDeps,
  actor: Person,
  approvalKey: string,
  decision: 'approve' | 'reject',
  reason?: string,
): Promise<Reply> {
  const result = await castVote(deps.ctx, { actorId: actor.id, approvalKey, decision, ...(reason ? { reason } : {}) });
  const fresh = (await deps.ctx.repos.approvals.get(result.approval.key)) ?? result.approval;
  const card = await approvalCardFor(deps, fresh);
  if (fresh.status === 'pending') {
    // Still open: this person has voted, so their copy shows no buttons either.
    card.buttons = [];
    card.context = `Your ${decision === 'approve' ? 'approval' : 'rejection'} is recorded; waiting for the others.`;
  }
  return { cards: [card], updated: card };
}
