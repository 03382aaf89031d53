import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { Approval } from '../types';
import { requestApproval } from '../approvals/requestApproval';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from './getUseCase';
import { gateFrom, loadUseCase, raciPeople } from './lifecycle';
import { advanceOnApproval } from '../approvals/advanceOnApproval';
import { requireRegistrationBeforeProduction } from '../evidence/registrationGate';
import { requireGpaiInfo } from '../registry/gpaiDownstream';

export const requestAdvanceInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
});
export type RequestAdvanceInput = z.input<typeof requestAdvanceInput>;

export interface RequestAdvanceResult {
  approval: Approval;
  /** What the approvers are asked to confirm, from the gate's policy. */
  exitCriteria: string[];
  gateName: string;
}

/**
 * Asks to move a use case to its next lifecycle stage. Nothing moves yet: the stage changes
 * only when the gate's approval is decided (see castVote).
 */
export async function requestAdvance(ctx: DomainContext, raw: RequestAdvanceInput): Promise<RequestAdvanceResult> {
  const input = parseInput(requestAdvanceInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  let uc = await loadUseCase(ctx, input.key);
  // A gate already approved whose move has not been applied yet (its writer stopped before the
  // reaction ran) is applied now, rather than asked for a second time.
  const approvedHere = (await ctx.repos.approvals.list({ status: 'approved', useCaseKey: uc.key })).filter(
    (a) => a.fromStage === uc.stage && !uc.stageHistory.some((h) => h.approvalKey === a.key),
  );
  for (const a of approvedHere) await advanceOnApproval(ctx, a.key);
  if (approvedHere.length) uc = await loadUseCase(ctx, input.key);
  const mayRequest = [uc.ownerId, uc.proposerId, ...raciPeople(uc, ['responsible', 'accountable'])];
  if (!mayRequest.includes(actor.id) && !hasRole(actor, ADMIN_ROLE)) {
    throw new ForbiddenError('usecase.advance_forbidden', `Only the owner or people Responsible or Accountable for ${uc.key} can request advancement.`);
  }
  if (uc.tier === 'prohibited') {
    throw new ForbiddenError(
      'usecase.prohibited',
      `${uc.key} is classified as a prohibited practice (${uc.tierReasons.join('; ')}) and cannot advance. Change the design, then update its answers with: update ${uc.key}`,
    );
  }
  if (uc.stage === 'suspended' || uc.stage === 'retired') {
    throw new ConflictError('usecase.not_active', `${uc.key} is ${uc.stage}; ${uc.stage === 'suspended' ? 'resume it first' : 'it cannot advance'}.`);
  }
  const gate = gateFrom(ctx.policy, uc.stage);
  if (!gate) throw new ConflictError('usecase.final_stage', `${uc.key} is in ${uc.stage}, the last stage; there is no gate to pass.`);
  await requireRegistrationBeforeProduction(ctx, uc, gate.to);
  await requireGpaiInfo(ctx, uc, gate.to);
  const [open] = await ctx.repos.approvals.list({ status: 'pending', useCaseKey: uc.key });
  if (open) throw new ConflictError('approval.already_pending', `${uc.key} already has a pending approval (${open.key}).`, { approvalKey: open.key });
  const approval = await requestApproval(ctx, { useCase: uc, gate, requester: actor });
  return { approval, exitCriteria: gate.exitCriteria, gateName: gate.name };
}
