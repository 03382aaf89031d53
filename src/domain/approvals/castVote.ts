import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { hasFreshPassingEval } from '../evals/evalFreshness';
import { requireRegistrationBeforeProduction } from '../evidence/registrationGate';
import { requireGpaiInfo } from '../registry/gpaiDownstream';
import type { DomainContext } from '../ports';
import type { Approval, Person, Vote } from '../types';
import { parseInput, requireActor } from '../people/actor';
import { decide } from './closeApproval';
import { updateRecord } from '../records/updateRecord';
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
  let vote: Vote | undefined;
  // People are read once per vote, not once per attempt: a contended approval is re-decided
  // several times within the same instant.
  const people = new Map<string, Promise<Person | null>>();
  const person = (id: string) => people.get(id) ?? people.set(id, ctx.repos.people.findById(id)).get(id)!;
  let decided: Approval['status'] | undefined;
  // The vote and, when it completes the outcome, the decision are one version of the approval:
  // every rule below is checked again on the version the vote is written on.
  const { record } = await updateRecord(
    ctx,
    ctx.repos.approvals,
    input.approvalKey,
    async (approval) => {
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
      if (approval.votes.some((v) => v.personId === voter.id)) throw new ConflictError('approval.already_voted', `You have already voted on ${approval.key}.`);
      // A request whose use case left the gate's stage meanwhile (suspended, retired) decides nothing.
      const uc = await ctx.repos.useCases.get(approval.useCaseKey);
      if (uc && uc.stage !== approval.fromStage) {
        throw new ConflictError('approval.stage_left', `${approval.useCaseKey} is no longer in ${approval.fromStage} (it is ${uc.stage}), so ${approval.key} can no longer be decided; ask for a new approval once it is back in service.`);
      }
      if (input.decision === 'approve') {
        await requirePassingEvals(ctx, approval, now);
        // Checked when the advance was requested, and again here: between the two the
        // registration may have been withdrawn or the Art. 49 obligation may have started to apply.
        if (uc) await requireRegistrationBeforeProduction(ctx, uc, approval.toStage, approval.key);
        // Likewise the GPAI downstream information (Art. 53(1)(b)): its answer may have been
        // cleared, or a GPAI model added to the use case, since the request.
        if (uc) await requireGpaiInfo(ctx, uc, approval.toStage);
      }

      // Count this vote for a role nobody has approved for yet, when the voter holds several.
      const covered = new Set(approval.votes.filter((v) => v.decision === 'approve').map((v) => v.role));
      const cast: Vote = {
        approvalKey: approval.key,
        personId: voter.id,
        decision: input.decision,
        role: held.find((r) => !covered.has(r)) ?? held[0],
        ...(input.reason ? { reason: input.reason } : {}),
        at: now,
      };
      vote = cast;
      const withVote: Approval = { ...approval, votes: [...approval.votes, cast] };
      const voteData = { useCaseKey: approval.useCaseKey, decision: cast.decision, role: cast.role, reason: cast.reason };
      const votedEvent = { type: 'approval.voted' as const, at: now, actorId: voter.id, approvalKey: approval.key, useCaseKey: approval.useCaseKey, personId: voter.id };
      const outcome = await evaluate(ctx, withVote, person);
      decided = outcome?.status;
      if (!outcome) {
        return { record: withVote, change: { at: now, actorId: voter.id, action: 'approval.voted', data: voteData, events: [votedEvent] } };
      }
      return decide(ctx, withVote, { status: outcome.status, by: voter.id, reasons: outcome.reasons }, {
        action: 'approval.decided',
        data: { vote: voteData },
        events: [votedEvent],
      });
    },
    () => new NotFoundError('approval.not_found', `${input.approvalKey} does not exist.`),
  );
  return { approval: record, vote: vote!, ...(decided ? { decided } : {}) };
}

async function evaluate(
  ctx: DomainContext,
  a: Approval,
  person: (id: string) => Promise<Person | null>,
): Promise<{ status: 'approved' | 'rejected'; reasons: string[] } | null> {
  // Named by the role the vote counts for, not the voter's name: the reasons are copied into the
  // approval's history, which erasure cannot rewrite (GDPR Art. 17: src/domain/people/erasePerson.ts).
  // Who voted stays in the votes (person ids), shown by name while the person exists.
  const roleName = (id?: string) => ctx.policy.roles.find((r) => r.id === id)?.name ?? id;
  const reasonOf = async (v: Vote) => `${roleName(v.role) ?? (v.decision === 'reject' ? 'Rejected' : 'Approved')}: ${v.reason ?? 'approved'}`;
  const rejects = a.votes.filter((v) => v.decision === 'reject');
  if (rejects.length) return { status: 'rejected', reasons: await Promise.all(rejects.map(reasonOf)) };
  const voters = new Map<string, Person>();
  for (const p of await Promise.all(a.votes.map((v) => person(v.personId)))) if (p) voters.set(p.id, p);
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
