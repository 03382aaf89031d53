import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { hasFreshPassingEval } from '../evals/evalFreshness';
import type { DomainContext } from '../ports';
import type { Approval, Person, Vote } from '../types';
import { parseInput, requireActor } from '../people/actor';
import { closeApproval } from './closeApproval';
import { mustIncludeFor, quorumMet } from './quorum';

export const approvalKey = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^APR-\d+$/, 'expected an approval key such as APR-3');

export const castVoteInput = z
  .object({
    actorId: z.string().min(1),
    approvalKey,
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((v) => v.decision !== 'reject' || !!v.reason, { message: 'a rejection needs a reason', path: ['reason'] });
export type CastVoteInput = z.input<typeof castVoteInput>;

export interface CastVoteResult {
  approval: Approval;
  vote: Vote;
  /** Set when this vote decided the approval (exactly one caller sees it). */
  decided?: Approval['status'];
}

/**
 * Records one person's vote and, when it completes the outcome, decides the approval.
 * Separation of duties: the requester can never vote, whatever roles they hold.
 */
export async function castVote(ctx: DomainContext, raw: CastVoteInput): Promise<CastVoteResult> {
  const input = parseInput(castVoteInput, raw, 'approval.invalid_vote');
  const voter = await requireActor(ctx, input.actorId);
  const approval = await ctx.repos.approvals.get(input.approvalKey);
  if (!approval) throw new NotFoundError('approval.not_found', `${input.approvalKey} does not exist.`);
  const now = ctx.clock.now();
  if (approval.status !== 'pending') throw new ConflictError('approval.decided', `${approval.key} is already ${approval.status}.`);
  if (now.getTime() > approval.expiresAt.getTime()) {
    throw new ConflictError('approval.expired', `${approval.key} expired on ${approval.expiresAt.toISOString().slice(0, 10)}; ask for a new one.`);
  }
  if (voter.id === approval.requesterId) {
    throw new ForbiddenError('approval.self_approval', `You requested ${approval.key}, so you cannot vote on it (separation of duties).`);
  }
  const held = approval.requiredRoles.filter((r) => voter.roles.includes(r));
  if (!held.length) {
    throw new ForbiddenError('approval.not_an_approver', `${approval.key} needs a vote from ${approval.requiredRoles.join(', ')}; you hold none of these roles.`);
  }
  if (input.decision === 'approve') await requirePassingEvals(ctx, approval, now);

  // Count this vote for a role nobody has approved for yet, when the voter holds several.
  const covered = new Set(approval.votes.filter((v) => v.decision === 'approve').map((v) => v.role));
  const vote: Vote = {
    approvalKey: approval.key,
    personId: voter.id,
    decision: input.decision,
    role: held.find((r) => !covered.has(r)) ?? held[0],
    ...(input.reason ? { reason: input.reason } : {}),
    at: now,
  };
  await ctx.repos.approvals.addVote(vote);
  await ctx.audit({
    actorId: voter.id,
    action: 'approval.voted',
    subject: approval.key,
    data: { useCaseKey: approval.useCaseKey, decision: vote.decision, role: vote.role, reason: vote.reason },
  });
  await ctx.events.emit({ type: 'approval.voted', at: now, actorId: voter.id, approvalKey: approval.key, useCaseKey: approval.useCaseKey, personId: voter.id });

  // Re-read: a vote stored concurrently by someone else may complete the quorum together with ours.
  const current = (await ctx.repos.approvals.get(approval.key))!;
  const outcome = await evaluate(ctx, current);
  const decided = outcome ? await closeApproval(ctx, current, { status: outcome.status, by: voter.id, reasons: outcome.reasons }) : null;
  return { approval: decided ?? current, vote, ...(decided ? { decided: decided.status } : {}) };
}

async function evaluate(ctx: DomainContext, a: Approval): Promise<{ status: 'approved' | 'rejected'; reasons: string[] } | null> {
  const reasonOf = async (v: Vote) => `${(await ctx.repos.people.findById(v.personId))?.name ?? v.personId}: ${v.reason ?? 'approved'}`;
  const rejects = a.votes.filter((v) => v.decision === 'reject');
  if (rejects.length) return { status: 'rejected', reasons: await Promise.all(rejects.map(reasonOf)) };
  const voters = new Map<string, Person>();
  for (const v of a.votes) {
    const p = await ctx.repos.people.findById(v.personId);
    if (p) voters.set(p.id, p);
  }
  // Must-include roles (security and legal on the audit and go-live gates) are fixed on the request,
  // like its roles and quorum; requests stored before the field existed read them from the playbook.
  let mustInclude = a.mustInclude;
  if (!mustInclude) {
    const uc = await ctx.repos.useCases.get(a.useCaseKey);
    mustInclude = uc ? mustIncludeFor(ctx.policy, a, uc.tier) : [];
  }
  if (!quorumMet({ ...a, mustInclude }, voters)) return null;
  return { status: 'approved', reasons: await Promise.all(a.votes.map(reasonOf)) };
}

/** The gate out of evaluation needs every model of the use case to have a recent passing run. */
async function requirePassingEvals(ctx: DomainContext, approval: Approval, now: Date): Promise<void> {
  const gate = ctx.policy.lifecycle.gates.find((g) => g.id === approval.gateId);
  const days = gate?.requiresPassingEvalWithinDays;
  if (days === undefined) return;
  const uc = await ctx.repos.useCases.get(approval.useCaseKey);
  if (!uc?.models.length) {
    throw new ForbiddenError('approval.eval_required', `${approval.useCaseKey} names no model; add its models and run an evaluation before approving.`);
  }
  for (const name of uc.models) {
    const model = await ctx.repos.models.get(name);
    const check = hasFreshPassingEval(model?.latestEval, days, now);
    if (!model || !check.ok) {
      throw new ForbiddenError(
        'approval.eval_required',
        `Model ${name} needs a passing evaluation within ${days} days before ${approval.key} can be approved (${model ? check.reason : 'not in the registry'}).`,
        { model: name },
      );
    }
  }
}
