/**
 * Corrects the moment of awareness of a serious incident: the one way the Art. 73 clock may
 * move later (facts show the organisation learnt of it later than first recorded). Only AI
 * Governance & Legal, only with a reason, and the deadline is recomputed from the corrected
 * moment and the current basis; the change is its own audited version (`incident.awareness_corrected`).
 */
import { formatUtc } from '../schedules/dates';
import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { REPORT_ROLES, changeIncident, hasAnyRole, loadActor } from './access';
import { art73Deadline } from './art73';

export const correctAwarenessInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
  awareAt: z.coerce.date(),
  reason: z.string().trim().min(5, 'say why the awareness date is corrected (at least 5 characters)').max(1000),
});
export type CorrectAwarenessInput = z.input<typeof correctAwarenessInput>;

export async function correctAwareness(ctx: DomainContext, raw: CorrectAwarenessInput): Promise<Incident> {
  const parsed = correctAwarenessInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const { awareAt, reason } = parsed.data;
  const actor = await loadActor(ctx, parsed.data.actorId);
  if (!hasAnyRole(actor, REPORT_ROLES)) {
    throw new ForbiddenError('incident.aware_correct_forbidden', 'Only AI governance & legal may correct the moment of awareness.');
  }
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    const prior = incident.serious;
    if (!prior) throw new ConflictError('incident.not_serious', `${incident.key} is not flagged as a serious incident.`);
    if (prior.reportSubmittedAt || prior.initialReportAt) {
      throw new ConflictError('incident.report_already_submitted', `The Art. 73 report for ${incident.key} was already submitted; the clock it was measured against stays on record.`);
    }
    if (awareAt.getTime() > now.getTime()) throw new ValidationError('incident.aware_in_future', 'aware: the moment of awareness cannot be in the future.');
    if (awareAt.getTime() === prior.awareAt.getTime()) throw new ConflictError('incident.aware_unchanged', `${incident.key} already counts from ${formatUtc(awareAt)}.`);
    const deadline = art73Deadline(awareAt, prior.basis, ctx.policy.incidents.serious.deadlinesDays);
    return {
      record: {
        ...incident,
        serious: { ...prior, awareAt, awareSource: 'corrected', deadline },
        timeline: [
          ...incident.timeline,
          { at: now, by: actor.id, kind: 'serious', text: `Awareness corrected from ${formatUtc(prior.awareAt)} to ${formatUtc(awareAt)} (${reason}); Art. 73 report due ${formatUtc(deadline)}.` },
        ],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: 'incident.awareness_corrected',
        data: { from: prior.awareAt, to: awareAt, reason, deadlineFrom: prior.deadline, deadline },
        events: [{ type: 'incident.serious_flagged', at: now, actorId: actor.id, incidentKey: incident.key, deadline }],
      },
    };
  });
}
