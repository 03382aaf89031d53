import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { updateRecord } from '../records/updateRecord';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from './getUseCase';
import { useCaseNotFound, moveStage } from './lifecycle';

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
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.key, (uc) => {
    if (uc.ownerId !== actor.id && !hasRole(actor, ADMIN_ROLE)) {
      throw new ForbiddenError('usecase.retire_forbidden', `Only the owner or an AI CoE admin can retire ${uc.key}.`);
    }
    if (uc.stage === 'retired') throw new ConflictError('usecase.not_active', `${uc.key} is already retired.`);
    const now = ctx.clock.now();
    return {
      record: moveStage(uc, 'retired', { at: now, by: actor.id, reason: input.reason }),
      change: {
        at: now,
        actorId: actor.id,
        action: 'usecase.retired',
        data: { from: uc.stage, reason: input.reason },
        // Reactions cancel its pending approval and close its open review (src/domain/records/react.ts).
        events: [{ type: 'usecase.stage_changed', at: now, actorId: actor.id, useCaseKey: uc.key, from: uc.stage, to: 'retired' }],
      },
    };
  }, useCaseNotFound(input.key));
  return record;
}
