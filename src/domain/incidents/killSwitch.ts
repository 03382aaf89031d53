/**
 * The kill switch's effect on the use case: a reaction to the incident change that pulled it
 * (reported with the switch, or pulled later), so the switch is recorded in one write on the
 * incident and the suspension follows from that durable record, here or in the reaction sweep
 * after a crash. Same effect as usecases/suspendUseCase, whose role check does not apply:
 * anyone reporting an incident may pull the kill switch.
 */
import type { DomainContext, HistoryEntry } from '../ports';
import { updateRecord } from '../records/updateRecord';
import { moveStage } from '../usecases/lifecycle';

export const killSwitchReason = (incidentKey: string): string => `Kill switch pulled on ${incidentKey}`;
export const killSwitchCause = (incidentKey: string): string => `incident:${incidentKey}`;

/** True when this incident version is the one that pulled the switch. */
export function pullsKillSwitch(entry: HistoryEntry): boolean {
  if (!entry.stream.startsWith('incident:')) return false;
  if (entry.action === 'incident.kill_switch') return true;
  return entry.action === 'incident.reported' && entry.state?.killSwitch === true;
}

/**
 * Suspends the incident's use case, once: nothing is written when its stage history already
 * names this incident (suspended by this switch before, even if resumed since) or when it is
 * already suspended or retired. Concurrent runs are decided by updateRecord's re-check.
 * A pending gate approval is cancelled by the reaction to the stage change this writes.
 */
export async function suspendOnKillSwitch(ctx: DomainContext, entry: HistoryEntry): Promise<void> {
  if (!pullsKillSwitch(entry)) return;
  const incidentKey = entry.subject;
  const useCaseKey = typeof entry.state?.useCaseKey === 'string' ? entry.state.useCaseKey : undefined;
  if (!useCaseKey) return;
  const reason = killSwitchReason(incidentKey);
  const by = entry.actorId;
  await updateRecord(
    ctx,
    ctx.repos.useCases,
    useCaseKey,
    (useCase) => {
      if (useCase.stageHistory.some((h) => h.reason === reason)) return null;
      if (useCase.stage === 'suspended' || useCase.stage === 'retired') return null;
      const now = ctx.clock.now();
      const from = useCase.stage;
      return {
        record: { ...moveStage(useCase, 'suspended', { at: now, by, reason }), suspendedFrom: from },
        change: {
          at: now,
          actorId: by,
          action: 'usecase.suspended',
          cause: killSwitchCause(incidentKey),
          data: { from, incidentKey, reason },
          events: [{ type: 'usecase.stage_changed', at: now, actorId: by, useCaseKey: useCase.key, from, to: 'suspended' }],
        },
      };
    },
    () => new Error(`use case ${useCaseKey} of ${incidentKey} does not exist`),
  );
}
