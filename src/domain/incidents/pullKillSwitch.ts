import { z } from 'zod';
import { ConflictError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident, UseCase } from '../types';
import { changeIncident, loadActor } from './access';

export const pullKillSwitchInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
});
export type PullKillSwitchInput = z.input<typeof pullKillSwitchInput>;

/**
 * Pulls the kill switch of an incident after it was reported: records the switch on the
 * incident (one write), and the use case is suspended by the reaction to that change
 * (killSwitch.ts), which has run by the time this returns unless it failed (then the reaction
 * sweep finishes it). Anyone registered may pull it (an andon cord), as when reporting.
 */
export async function pullKillSwitch(ctx: DomainContext, raw: PullKillSwitchInput): Promise<Incident> {
  const parsed = pullKillSwitchInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const actor = await loadActor(ctx, parsed.data.actorId);
  // Read once, not per attempt: an incident's use case never changes, and use cases are never deleted.
  let useCase: UseCase | null | undefined;
  // Decided on the newest version: of two people pulling at once, one pulls and the other is told it is on.
  return changeIncident(ctx, parsed.data.key, async (incident, now) => {
    if (!incident.useCaseKey) {
      throw new ConflictError('incident.no_use_case', `${incident.key} names no use case, so there is nothing to suspend.`);
    }
    if (incident.killSwitch) throw new ConflictError('incident.kill_switch_on', `The kill switch of ${incident.key} is already pulled.`);
    if (useCase === undefined) useCase = await ctx.repos.useCases.get(incident.useCaseKey);
    if (!useCase) throw new ConflictError('incident.no_use_case', `${incident.useCaseKey} no longer exists.`);
    return {
      record: {
        ...incident,
        killSwitch: true,
        timeline: [...incident.timeline, { at: now, by: actor.id, kind: 'kill_switch', text: `Kill switch pulled: ${useCase.key} suspended.` }],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: 'incident.kill_switch',
        data: { useCaseKey: useCase.key },
        events: [{ type: 'incident.updated', at: now, actorId: actor.id, incidentKey: incident.key, status: incident.status }],
      },
    };
  });
}
