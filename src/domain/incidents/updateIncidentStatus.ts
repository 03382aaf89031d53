/**
 * Moves an incident along reported -> triaged -> mitigating -> resolved -> closed (forward
 * only; a resolved incident may be reopened to mitigating). A serious incident cannot be
 * closed before its Art. 73 report has been recorded.
 */
import { z } from 'zod';
import { ConflictError, ForbiddenError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import { INCIDENT_STATUSES, type Incident } from '../types';
import { INCIDENT_RESPONDER_ROLES, changeIncident, hasAnyRole, isOwner, loadActor } from './access';
import { redact } from './redact';
import { canMove } from './transitions';

export const updateIncidentStatusInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
  status: z.enum(INCIDENT_STATUSES),
  note: z.string().trim().max(2_000).optional(),
});
export type UpdateIncidentStatusInput = z.input<typeof updateIncidentStatusInput>;

export async function updateIncidentStatus(ctx: DomainContext, raw: UpdateIncidentStatusInput): Promise<Incident> {
  const parsed = updateIncidentStatusInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const { status, note } = parsed.data;
  const actor = await loadActor(ctx, parsed.data.actorId);
  const redactedNote = note ? redact(note).text : undefined;

  // Checked against the version written on: of two concurrent moves, the second is judged from where the first left it.
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    if (!isOwner(actor, incident) && !hasAnyRole(actor, INCIDENT_RESPONDER_ROLES)) {
      throw new ForbiddenError('incident.status_forbidden', `Only the owner of ${incident.key}, an AI security specialist or a CoE admin may change its status.`);
    }
    if (!canMove(incident.status, status)) {
      throw new ConflictError(
        'incident.bad_transition',
        `${incident.key} is ${incident.status}; it cannot move to ${status} (statuses only move forward; a resolved incident may be reopened to mitigating).`,
      );
    }
    if (status === 'closed' && incident.serious && !incident.serious.reportSubmittedAt) {
      throw new ConflictError('incident.report_outstanding', `${incident.key} is a serious incident: record the Art. 73 report before closing it.`);
    }
    const from = incident.status;
    const text = `Status ${from} -> ${status}${redactedNote ? `: ${redactedNote}` : ''}`;
    return {
      record: { ...incident, status, timeline: [...incident.timeline, { at: now, by: actor.id, kind: 'status', text }], updatedAt: now },
      change: {
        actorId: actor.id,
        action: 'incident.status_changed',
        data: { from, to: status },
        events: [{ type: 'incident.updated', at: now, actorId: actor.id, incidentKey: incident.key, status }],
      },
    };
  });
}
