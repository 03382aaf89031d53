import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { REPORT_ROLES, changeIncident, hasAnyRole, isOwner, loadActor } from './access';

export const recordReportSubmittedInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
  /** The authority's reference, or ours, for the submitted report. */
  reportRef: z.string().trim().min(1, 'give the report reference').max(200),
  /** When it was sent, if earlier than now (recorded after the fact); never in the future. */
  submittedAt: z.coerce.date().optional(),
});
export type RecordReportSubmittedInput = z.input<typeof recordReportSubmittedInput>;

/** Records that the Art. 73 report reached the market surveillance authority; stops the clock. */
export async function recordReportSubmitted(ctx: DomainContext, raw: RecordReportSubmittedInput): Promise<Incident> {
  const parsed = recordReportSubmittedInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const actor = await loadActor(ctx, parsed.data.actorId);
  const { reportRef, submittedAt } = parsed.data;

  // Decided on the newest version: of two concurrent recordings exactly one is stored.
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    if (!isOwner(actor, incident) && !hasAnyRole(actor, REPORT_ROLES)) {
      throw new ForbiddenError('incident.report_forbidden', `Only AI governance & legal or the owner of ${incident.key} may record its Art. 73 report.`);
    }
    if (!incident.serious) throw new ConflictError('incident.not_serious', `${incident.key} is not flagged as a serious incident.`);
    if (incident.serious.reportSubmittedAt) {
      throw new ConflictError('incident.report_already_submitted', `The Art. 73 report for ${incident.key} was already recorded (${incident.serious.reportRef}).`);
    }
    const sentAt = submittedAt ?? now;
    if (sentAt.getTime() > now.getTime()) {
      throw new ValidationError('incident.submitted_in_future', 'submittedAt: the report cannot have been submitted in the future.');
    }
    const late = sentAt.getTime() > incident.serious.deadline.getTime();
    return {
      record: {
        ...incident,
        serious: { ...incident.serious, reportSubmittedAt: sentAt, reportRef },
        timeline: [
          ...incident.timeline,
          { at: now, by: actor.id, kind: 'report_submitted', text: `Art. 73 report submitted${submittedAt ? ` on ${sentAt.toISOString().slice(0, 10)}` : ''} (${reportRef})${late ? ', after the deadline' : ''}.` },
        ],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: 'incident.report_submitted',
        data: { reportRef, submittedAt: sentAt, late },
        events: [{ type: 'incident.updated', at: now, actorId: actor.id, incidentKey: incident.key, status: incident.status }],
      },
    };
  });
}
