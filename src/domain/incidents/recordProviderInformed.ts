/**
 * Art. 26(5): a deployer that identifies a serious incident informs the provider first, then
 * the authorities. Records that step and its moment on the incident, once.
 */
import { formatUtc } from '../schedules/dates';
import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { REPORT_ROLES, SERIOUS_FLAG_ROLES, changeIncident, hasAnyRole, isOwner, loadActor } from './access';
import { redact } from './redact';

export const recordProviderInformedInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
  /** When the provider was told, if earlier than now; never in the future. */
  informedAt: z.coerce.date().optional(),
  /** How and whom (e.g. "email to vendor safety desk, ticket 4411"); redacted before storage. */
  note: z.string().trim().max(1000).optional(),
});
export type RecordProviderInformedInput = z.input<typeof recordProviderInformedInput>;

export async function recordProviderInformed(ctx: DomainContext, raw: RecordProviderInformedInput): Promise<Incident> {
  const parsed = recordProviderInformedInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const actor = await loadActor(ctx, parsed.data.actorId);
  const note = parsed.data.note ? redact(parsed.data.note).text : undefined;
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    if (!isOwner(actor, incident) && !hasAnyRole(actor, [...SERIOUS_FLAG_ROLES, ...REPORT_ROLES])) {
      throw new ForbiddenError('incident.report_forbidden', `Only the owner of ${incident.key} or AI governance & legal may record that the provider was informed.`);
    }
    if (!incident.serious) throw new ConflictError('incident.not_serious', `${incident.key} is not flagged as a serious incident.`);
    if (incident.serious.providerInformedAt) {
      throw new ConflictError('incident.provider_already_informed', `The provider was already recorded as informed on ${formatUtc(incident.serious.providerInformedAt)}.`);
    }
    const at = parsed.data.informedAt ?? now;
    if (at.getTime() > now.getTime()) throw new ValidationError('incident.informed_in_future', 'informedAt: the provider cannot have been informed in the future.');
    return {
      record: {
        ...incident,
        serious: { ...incident.serious, providerInformedAt: at, ...(note ? { providerInformedNote: note } : {}) },
        timeline: [...incident.timeline, { at: now, by: actor.id, kind: 'provider_informed', text: `Provider informed (Art. 26(5)) on ${formatUtc(at)}${note ? `: ${note}` : ''}.` }],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: 'incident.provider_informed',
        data: { informedAt: at, ...(note ? { note } : {}) },
        events: [{ type: 'incident.updated', at: now, actorId: actor.id, incidentKey: incident.key, status: incident.status }],
      },
    };
  });
}
