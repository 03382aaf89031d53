import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { hasAnyRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from './getUseCase';
import { updateRecord } from '../records/updateRecord';
import { accountableFor, useCaseNotFound, moveStage, SAFETY_AREA } from './lifecycle';
import { KILL_SWITCH_ROLES } from './suspendUseCase';

export const resumeUseCaseInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  reason: z.string().trim().min(3, 'say why it is safe to resume').max(1000),
});
export type ResumeUseCaseInput = z.input<typeof resumeUseCaseInput>;

/**
 * Lifts the kill switch, returning the use case to the stage it was suspended from. Releasing
 * is narrower than pulling: the owner alone cannot, only the Accountable for safety &
 * compliance, an AI security specialist or an AI CoE admin.
 */
export async function resumeUseCase(ctx: DomainContext, raw: ResumeUseCaseInput): Promise<UseCase> {
  const input = parseInput(resumeUseCaseInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.key, (uc) => {
    if (!accountableFor(uc, SAFETY_AREA).includes(actor.id) && !hasAnyRole(actor, KILL_SWITCH_ROLES)) {
      throw new ForbiddenError(
        'usecase.resume_forbidden',
        `Only the Accountable for safety & compliance, an AI security specialist or an AI CoE admin can resume ${uc.key}.`,
      );
    }
    if (uc.stage !== 'suspended') throw new ConflictError('usecase.not_suspended', `${uc.key} is not suspended (it is in ${uc.stage}).`);
    const to = uc.suspendedFrom ?? 'ideation';
    const now = ctx.clock.now();
    const { suspendedFrom: _dropped, ...moved } = moveStage(uc, to, { at: now, by: actor.id, reason: input.reason });
    return {
      record: moved,
      change: {
        at: now,
        actorId: actor.id,
        action: 'usecase.resumed',
        data: { to, reason: input.reason },
        events: [{ type: 'usecase.stage_changed', at: now, actorId: actor.id, useCaseKey: uc.key, from: 'suspended', to }],
      },
    };
  }, useCaseNotFound(input.key));
  return record;
}
