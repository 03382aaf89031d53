import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { cancelPendingFor } from '../approvals/cancelApproval';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from './getUseCase';
import { loadUseCase, moveStage } from './lifecycle';

export const retireUseCaseInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  reason: z.string().trim().min(3, 'say why the use case is retired').max(1000),
});
export type RetireUseCaseInput = z.input<typeof retireUseCaseInput>;

/** Retires a use case for good (owner or AI CoE admin). Its record and history stay. */
export async function retireUseCase(ctx: DomainContext, raw: RetireUseCaseInput): Promise<UseCase> {
  const input = parseInput(retireUseCaseInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  const uc = await loadUseCase(ctx, input.key);
  if (uc.ownerId !== actor.id && !hasRole(actor, ADMIN_ROLE)) {
    throw new ForbiddenError('usecase.retire_forbidden', `Only the owner or an AI CoE admin can retire ${uc.key}.`);
  }
  if (uc.stage === 'retired') throw new ConflictError('usecase.not_active', `${uc.key} is already retired.`);
  const now = ctx.clock.now();
  const updated = moveStage(uc, 'retired', { at: now, by: actor.id, reason: input.reason });
  await ctx.repos.useCases.save(updated);
  // A retired use case is reviewed no more: its open review would otherwise count as overdue.
  await ctx.repos.reviews.deleteOpen(uc.key);
  const cancelled = await cancelPendingFor(ctx, uc.key, actor.id, `${uc.key} was retired: ${input.reason}`);
  await ctx.audit({
    actorId: actor.id,
    action: 'usecase.retired',
    subject: uc.key,
    data: { from: uc.stage, reason: input.reason, ...(cancelled ? { cancelledApproval: cancelled } : {}) },
  });
  await ctx.events.emit({ type: 'usecase.stage_changed', at: now, actorId: actor.id, useCaseKey: uc.key, from: uc.stage, to: 'retired' });
  return updated;
}
