/**
 * Suspends a use case because of an incident (same effect as usecases/suspendUseCase, whose
 * role check does not apply here: anyone reporting an incident may pull the kill switch).
 */
import { cancelPendingFor } from '../approvals/cancelApproval';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { moveStage } from '../usecases/lifecycle';

/** Returns the suspended use case, or null when it was already suspended or retired. */
export async function suspendForIncident(
  ctx: DomainContext,
  opts: { useCase: UseCase; incidentKey: string; actorId: string },
): Promise<UseCase | null> {
  const { useCase, incidentKey, actorId } = opts;
  if (useCase.stage === 'suspended' || useCase.stage === 'retired') return null;
  const now = ctx.clock.now();
  const from = useCase.stage;
  const reason = `Kill switch pulled on ${incidentKey}`;
  const saved = await ctx.repos.useCases.save({ ...moveStage(useCase, 'suspended', { at: now, by: actorId, reason }), suspendedFrom: from });
  // A pending gate approval must not advance the use case behind the switch.
  const cancelled = await cancelPendingFor(ctx, useCase.key, actorId, `${useCase.key} was suspended: ${reason}`);
  await ctx.audit({
    actorId,
    action: 'usecase.suspended',
    subject: useCase.key,
    data: { from, incidentKey, reason, ...(cancelled ? { cancelledApproval: cancelled } : {}) },
  });
  await ctx.events.emit({ type: 'usecase.stage_changed', at: now, actorId, useCaseKey: useCase.key, from, to: 'suspended' });
  return saved;
}
