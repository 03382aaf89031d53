/**
 * Flags an incident as serious under EU AI Act Art. 73 and starts the reporting clock from
 * the moment of awareness. The basis may be changed as facts emerge (e.g. a death becomes
 * known), until the report has been submitted. The clock never moves the wrong way: a
 * re-flag keeps the awareness first recorded (an earlier one is taken, a later one refused)
 * and a change of basis never pushes the deadline later; only AI Governance & Legal can
 * correct the awareness moment, explicitly and audited (correctAwareness.ts).
 */
import { formatUtc } from '../schedules/dates';
import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { AwareSource, Incident } from '../types';
import { SERIOUS_FLAG_ROLES, changeIncident, hasAnyRole, isOwner, loadActor } from './access';
import { art73Deadline } from './art73';
import { seriousInput } from './reportIncident';

export const flagSeriousInput = seriousInput.extend({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
  /** Absent: the awareness already recorded, else the incident's first report time. */
  awareAt: z.coerce.date().optional(),
});
export type FlagSeriousInput = z.input<typeof flagSeriousInput>;

export async function flagSerious(ctx: DomainContext, raw: FlagSeriousInput): Promise<Incident> {
  const parsed = flagSeriousInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const { basis, awareAt: given } = parsed.data;
  const actor = await loadActor(ctx, parsed.data.actorId);
  const days = ctx.policy.incidents.serious.deadlinesDays;

  // Re-checked on the newest version: a report recorded meanwhile closes the flag.
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    if (!isOwner(actor, incident) && !hasAnyRole(actor, SERIOUS_FLAG_ROLES)) {
      throw new ForbiddenError('incident.serious_forbidden', `Only the owner of ${incident.key}, AI governance & legal or a CoE admin may flag it as serious.`);
    }
    const prior = incident.serious;
    if (prior?.reportSubmittedAt || prior?.initialReportAt) {
      throw new ConflictError('incident.report_already_submitted', `The Art. 73 report for ${incident.key} was already submitted.`);
    }
    if (given && given.getTime() > now.getTime()) {
      throw new ValidationError('incident.aware_in_future', 'awareAt: the moment of awareness cannot be in the future.');
    }
    if (prior && given && given.getTime() > prior.awareAt.getTime()) {
      throw new ValidationError(
        'incident.aware_later',
        `aware: ${incident.key} was first recorded as known on ${formatUtc(prior.awareAt)}; awareness never moves later. AI Governance & Legal can correct it with "incident ${incident.key} aware YYYY-MM-DD because <reason>".`,
      );
    }
    // The first report is the latest the organisation can have known: the safe default.
    const awareAt = given ?? prior?.awareAt ?? incident.createdAt;
    const awareSource: AwareSource = given ? 'stated' : (prior?.awareSource ?? (prior ? 'stated' : 'first_report'));
    const computed = art73Deadline(awareAt, basis, days);
    const kept = prior && prior.deadline.getTime() < computed.getTime() ? prior.deadline : undefined;
    const deadline = kept ?? computed;
    const notes = [
      !given && !prior ? `awareness taken as the first report, ${formatUtc(awareAt)} (no date given)` : '',
      !given && prior ? `awareness kept at ${formatUtc(awareAt)} as first recorded` : '',
      kept ? `the deadline stays ${formatUtc(kept)}: a change of basis never extends it` : '',
    ].filter(Boolean);
    return {
      record: {
        ...incident,
        serious: { ...prior, basis, awareAt, awareSource, deadline },
        timeline: [
          ...incident.timeline,
          { at: now, by: actor.id, kind: 'serious', text: `Flagged serious (${basis}); Art. 73 report due ${formatUtc(deadline)}${notes.length ? `; ${notes.join('; ')}` : ''}.` },
        ],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: 'incident.serious_flagged',
        data: { basis, awareAt, awareSource, deadline, ...(prior ? { previous: { basis: prior.basis, awareAt: prior.awareAt, deadline: prior.deadline } } : {}) },
        events: [{ type: 'incident.serious_flagged', at: now, actorId: actor.id, incidentKey: incident.key, deadline }],
      },
    };
  });
}
