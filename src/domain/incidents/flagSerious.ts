/**
 * Flags an incident as serious under EU AI Act Art. 73 and starts the reporting clock from
 * the moment of awareness. The basis may be changed as facts emerge (e.g. a death becomes
 * known), until the report has been submitted.
 */
import { formatUtc } from '../schedules/dates';
import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { SERIOUS_FLAG_ROLES, changeIncident, hasAnyRole, isOwner, loadActor } from './access';
import { art73Deadline } from './art73';
import { seriousInput } from './reportIncident';

export const flagSeriousInput = seriousInput.extend({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
});
export type FlagSeriousInput = z.input<typeof flagSeriousInput>;

export async function flagSerious(ctx: DomainContext, raw: FlagSeriousInput): Promise<Incident> {
  const parsed = flagSeriousInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const { basis, awareAt } = parsed.data;
  const actor = await loadActor(ctx, parsed.data.actorId);
  const deadline = art73Deadline(awareAt, basis, ctx.policy.incidents.serious.deadlinesDays);

  // Re-checked on the newest version: a report recorded meanwhile closes the flag.
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    if (!isOwner(actor, incident) && !hasAnyRole(actor, SERIOUS_FLAG_ROLES)) {
      throw new ForbiddenError('incident.serious_forbidden', `Only the owner of ${incident.key}, AI governance & legal or a CoE admin may flag it as serious.`);
    }
    if (incident.serious?.reportSubmittedAt) {
      throw new ConflictError('incident.report_already_submitted', `The Art. 73 report for ${incident.key} was already submitted.`);
    }
    if (awareAt.getTime() > now.getTime()) {
      throw new ValidationError('incident.aware_in_future', 'awareAt: the moment of awareness cannot be in the future.');
    }
    return {
      record: {
        ...incident,
        serious: { basis, awareAt, deadline },
        timeline: [
          ...incident.timeline,
          { at: now, by: actor.id, kind: 'serious', text: `Flagged serious (${basis}); Art. 73 report due ${formatUtc(deadline)}.` },
        ],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: 'incident.serious_flagged',
        data: { basis, awareAt, deadline },
        events: [{ type: 'incident.serious_flagged', at: now, actorId: actor.id, incidentKey: incident.key, deadline }],
      },
    };
  });
}
