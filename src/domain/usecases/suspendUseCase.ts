import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { updateRecord } from '../records/updateRecord';
import { ADMIN_ROLE, hasAnyRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from './getUseCase';
import { accountableFor, useCaseNotFound, moveStage, SAFETY_AREA } from './lifecycle';

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
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.key, (uc) => {
    const allowed = actor.id === uc.ownerId || accountableFor(uc, SAFETY_AREA).includes(actor.id) || hasAnyRole(actor, KILL_SWITCH_ROLES);
    if (!allowed) {
      throw new ForbiddenError(
        'usecase.suspend_forbidden',
        `Only the owner, the Accountable for safety & compliance, an AI security specialist or an AI CoE admin can suspend ${uc.key}.`,
      );
    }
    if (uc.stage === 'suspended' || uc.stage === 'retired') throw new ConflictError('usecase.not_active', `${uc.key} is already ${uc.stage}.`);
    const now = ctx.clock.now();
    return {
      record: { ...moveStage(uc, 'suspended', { at: now, by: actor.id, reason: input.reason }), suspendedFrom: uc.stage },
      change: {
        at: now,
        actorId: actor.id,
        action: 'usecase.suspended',
        data: { from: uc.stage, reason: input.reason },
        // Its pending approval is cancelled by the reaction to this event (src/domain/records/react.ts).
        events: [{ type: 'usecase.stage_changed', at: now, actorId: actor.id, useCaseKey: uc.key, from: uc.stage, to: 'suspended' }],
      },
    };
  }, useCaseNotFound(input.key));
  return record;
}
