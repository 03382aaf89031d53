import { z } from 'zod';
import { ConflictError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { loadActor, loadIncident } from './access';
import { suspendForIncident } from './killSwitch';

export const pullKillSwitchInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
});
export type PullKillSwitchInput = z.input<typeof pullKillSwitchInput>;

/**
 * Pulls the kill switch of an incident after it was reported: suspends its use case and records
 * the switch on the incident. Anyone registered may pull it (an andon cord), as when reporting.
 */
export async function pullKillSwitch(ctx: DomainContext, raw: PullKillSwitchInput): Promise<Incident> {
  const parsed = pullKillSwitchInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const actor = await loadActor(ctx, parsed.data.actorId);
  const incident = await loadIncident(ctx, parsed.data.key);
  if (!incident.useCaseKey) {
    throw new ConflictError('incident.no_use_case', `${incident.key} names no use case, so there is nothing to suspend.`);
  }
  if (incident.killSwitch) throw new ConflictError('incident.kill_switch_on', `The kill switch of ${incident.key} is already pulled.`);
  const useCase = await ctx.repos.useCases.get(incident.useCaseKey);
  if (!useCase) throw new ConflictError('incident.no_use_case', `${incident.useCaseKey} no longer exists.`);

  await suspendForIncident(ctx, { useCase, incidentKey: incident.key, actorId: actor.id });
  const now = ctx.clock.now();
  const saved = await ctx.repos.incidents.save({
    ...incident,
    killSwitch: true,
    timeline: [...incident.timeline, { at: now, by: actor.id, kind: 'kill_switch', text: `Kill switch pulled by ${actor.name}: ${useCase.key} suspended.` }],
    updatedAt: now,
  });
  await ctx.audit({ actorId: actor.id, action: 'incident.kill_switch', subject: incident.key, data: { useCaseKey: useCase.key } });
  await ctx.events.emit({ type: 'incident.updated', at: now, actorId: actor.id, incidentKey: incident.key, status: saved.status });
  return saved;
}
