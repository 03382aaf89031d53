import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { cancelPendingFor } from '../approvals/cancelApproval';
import { ADMIN_ROLE, hasAnyRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from './getUseCase';
import { accountableFor, loadUseCase, moveStage, SAFETY_AREA } from './lifecycle';

export const suspendUseCaseInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  reason: z.string().trim().min(3, 'say why the use case is suspended').max(1000),
});
export type SuspendUseCaseInput = z.input<typeof suspendUseCaseInput>;

/** Roles that may pull (and release) the kill switch on any use case. */
export const KILL_SWITCH_ROLES = ['ai_security_specialist', ADMIN_ROLE];

/**
 * The kill switch: takes a use case out of service at once. Allowed to the owner, the
 * Accountable for safety & compliance, AI security specialists and AI CoE admins. A pending
 * approval is cancelled so it cannot advance the use case behind the switch.
 */
export async function suspendUseCase(ctx: DomainContext, raw: SuspendUseCaseInput): Promise<UseCase> {
  const input = parseInput(suspendUseCaseInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  const uc = await loadUseCase(ctx, input.key);
  const allowed = actor.id === uc.ownerId || accountableFor(uc, SAFETY_AREA).includes(actor.id) || hasAnyRole(actor, KILL_SWITCH_ROLES);
  if (!allowed) {
    throw new ForbiddenError(
      'usecase.suspend_forbidden',
      `Only the owner, the Accountable for safety & compliance, an AI security specialist or an AI CoE admin can suspend ${uc.key}.`,
    );
  }
  if (uc.stage === 'suspended' || uc.stage === 'retired') throw new ConflictError('usecase.not_active', `${uc.key} is already ${uc.stage}.`);
  const now = ctx.clock.now();
  const updated: UseCase = { ...moveStage(uc, 'suspended', { at: now, by: actor.id, reason: input.reason }), suspendedFrom: uc.stage };
  await ctx.repos.useCases.save(updated);
  const cancelled = await cancelPendingFor(ctx, uc.key, actor.id, `${uc.key} was suspended: ${input.reason}`);
  await ctx.audit({
    actorId: actor.id,
    action: 'usecase.suspended',
    subject: uc.key,
    data: { from: uc.stage, reason: input.reason, ...(cancelled ? { cancelledApproval: cancelled } : {}) },
  });
  await ctx.events.emit({ type: 'usecase.stage_changed', at: now, actorId: actor.id, useCaseKey: uc.key, from: uc.stage, to: 'suspended' });
  return updated;
}
