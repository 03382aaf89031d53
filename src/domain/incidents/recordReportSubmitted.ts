/**
 * Records that an Art. 73 report reached the market surveillance authority. Art. 73(5) allows an
 * initial, incomplete report followed by a complete one: the initial report meets the deadline
 * (the deadline reminders stop), the complete one stops all reminders. `complete` is the default:
 * a single report is complete.
 */
import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { REPORT_ROLES, changeIncident, hasAnyRole, isOwner, loadActor } from './access';

export const REPORT_KINDS = ['initial', 'complete'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const recordReportSubmittedInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
  /** The authority's reference, or ours, for the submitted report. */
  reportRef: z.string().trim().min(1, 'give the report reference').max(200),
  /** When it was sent, if earlier than now (recorded after the fact); never in the future. */
  submittedAt: z.coerce.date().optional(),
  kind: z.enum(REPORT_KINDS).default('complete'),
});
export type RecordReportSubmittedInput = z.input<typeof recordReportSubmittedInput>;

export async function recordReportSubmitted(ctx: DomainContext, raw: RecordReportSubmittedInput): Promise<Incident> {
  const parsed = recordReportSubmittedInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const actor = await loadActor(ctx, parsed.data.actorId);
  const { reportRef, submittedAt, kind } = parsed.data;

  // Decided on the newest version: of two concurrent recordings exactly one is stored.
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    if (!isOwner(actor, incident) && !hasAnyRole(actor, REPORT_ROLES)) {
      throw new ForbiddenError('incident.report_forbidden', `Only AI governance & legal or the owner of ${incident.key} may record its Art. 73 report.`);
    }
    const serious = incident.serious;
    if (!serious) throw new ConflictError('incident.not_serious', `${incident.key} is not flagged as a serious incident.`);
    if (serious.reportSubmittedAt) {
      throw new ConflictError('incident.report_already_submitted', `The Art. 73 report for ${incident.key} was already recorded (${serious.reportRef}).`);
    }
    if (kind === 'initial' && serious.initialReportAt) {
      throw new ConflictError('incident.initial_already_submitted', `The initial Art. 73 report for ${incident.key} was already recorded (${serious.initialReportRef}); record the complete one with "incident ${incident.key} report complete <reference>".`);
    }
    const sentAt = submittedAt ?? now;
    if (sentAt.getTime() > now.getTime()) {
      throw new ValidationError('incident.submitted_in_future', 'submittedAt: the report cannot have been submitted in the future.');
    }
    if (serious.initialReportAt && sentAt.getTime() < serious.initialReportAt.getTime()) {
      throw new ValidationError('incident.complete_before_initial', 'submittedAt: the complete report cannot precede the initial one.');
    }
    // The deadline is met by the first report, whichever kind it is.
    const first = serious.initialReportAt ?? sentAt;
    const late = first.getTime() > serious.deadline.getTime();
    const day = submittedAt ? ` on ${sentAt.toISOString().slice(0, 10)}` : '';
    const text =
      kind === 'initial'
        ? `Initial Art. 73 report submitted${day} (${reportRef})${late ? ', after the deadline' : ''}; the complete report is still due (Art. 73(5)).`
        : `${serious.initialReportAt ? 'Complete ' : ''}Art. 73 report submitted${day} (${reportRef})${late && !serious.initialReportAt ? ', after the deadline' : ''}.`;
    const next = kind === 'initial' ? { ...serious, initialReportAt: sentAt, initialReportRef: reportRef } : { ...serious, reportSubmittedAt: sentAt, reportRef };
    return {
      record: {
        ...incident,
        serious: next,
        timeline: [...incident.timeline, { at: now, by: actor.id, kind: 'report_submitted', text }],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: kind === 'initial' ? 'incident.initial_report_submitted' : 'incident.report_submitted',
        data: { reportRef, submittedAt: sentAt, late, kind },
        events: [{ type: 'incident.updated', at: now, actorId: actor.id, incidentKey: incident.key, status: incident.status }],
      },
    };
  });
}
