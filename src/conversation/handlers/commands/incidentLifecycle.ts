/**
 * Moving an incident past "reported": status, notes, the serious flag and the Art. 73 report,
 * typed (`incident INC-n ...`) or pressed on the incident card. Each is one domain call; the
 * domain decides who may act and refuses out-of-order moves.
 */
import { z } from 'zod';
import { ConflictError, ValidationError } from '../../../domain/errors';
import { addTimelineEntry } from '../../../domain/incidents/addTimelineEntry';
import { flagSerious } from '../../../domain/incidents/flagSerious';
import { getIncident } from '../../../domain/incidents/getIncident';
import { recordReportSubmitted } from '../../../domain/incidents/recordReportSubmitted';
import { updateIncidentStatus } from '../../../domain/incidents/updateIncidentStatus';
import { INCIDENT_STATUSES, type IncidentStatus, type Person } from '../../../domain/types';
import { decodeValue } from '../../actions';
import { art73ReportFormCard, type Art73ReportSubmission } from '../../cards/forms/art73ReportForm';
import { isoDayOf, startOfDay } from '../../cards/forms/days';
import type { CommandOf } from '../../grammar/schema';
import type { HandlerDeps } from '../deps';
import type { Reply } from '../types';
import { incidentReply } from './incidents';

/** The incident card with one line on top saying what just happened. */
async function done(deps: HandlerDeps, incident: Parameters<typeof incidentReply>[1], actor: Person, what: string): Promise<Reply> {
  const reply = await incidentReply(deps, incident, actor);
  const card = reply.cards[0];
  if (card) card.context = `${what} ${card.context ?? ''}`.trim();
  return reply;
}

export async function incidentStatusReply(deps: HandlerDeps, actor: Person, cmd: { incidentKey: string; status: IncidentStatus; note?: string }): Promise<Reply> {
  const incident = await updateIncidentStatus(deps.ctx, { actorId: actor.id, key: cmd.incidentKey, status: cmd.status, ...(cmd.note ? { note: cmd.note } : {}) });
  return done(deps, incident, actor, `${incident.key} is now ${incident.status}.`);
}

export async function incidentNoteReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'incident_note'>): Promise<Reply> {
  const incident = await addTimelineEntry(deps.ctx, { actorId: actor.id, key: cmd.incidentKey, text: cmd.text });
  return done(deps, incident, actor, 'Note added.');
}

/** `aware YYYY-MM-DD` counts from the start of that day (never later than the law allows); absent: now. */
export async function incidentSeriousReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'incident_serious'>): Promise<Reply> {
  const awareAt = cmd.awareOn ? startOfDay(cmd.awareOn) : deps.ctx.clock.now();
  const incident = await flagSerious(deps.ctx, { actorId: actor.id, key: cmd.incidentKey, basis: cmd.basis, awareAt });
  return done(deps, incident, actor, `Flagged serious: the Art. 73 report is due ${incident.serious!.deadline.toISOString()}.`);
}

export async function incidentReportReply(deps: HandlerDeps, actor: Person, input: { incidentKey: string; reportRef: string; submittedAt?: Date }): Promise<Reply> {
  const incident = await recordReportSubmitted(deps.ctx, {
    actorId: actor.id,
    key: input.incidentKey,
    reportRef: input.reportRef,
    ...(input.submittedAt ? { submittedAt: input.submittedAt } : {}),
  });
  return done(deps, incident, actor, `Art. 73 report recorded (${input.reportRef}); reminders stop.`);
}

export const incidentShowReply = async (deps: HandlerDeps, actor: Person, key: string): Promise<Reply> =>
  incidentReply(deps, await getIncident(deps.ctx, { key }), actor);

const statusButtonValue = z.object({
  key: z.string().regex(/^INC-\d+$/i),
  status: z.enum(INCIDENT_STATUSES),
});

/** A status button: value `{ key, status }` (see incidentButtons.ts). */
export async function incidentStatusAction(deps: HandlerDeps, actor: Person, value: string): Promise<Reply> {
  const parsed = statusButtonValue.safeParse(decodeValue(value));
  if (!parsed.success) throw new ValidationError('action.bad_value', 'This button carried no valid incident status; refresh the card and try again.');
  return incidentStatusReply(deps, actor, { incidentKey: parsed.data.key.toUpperCase(), status: parsed.data.status });
}

/** "Record Art. 73 report": the small form, only while a report is outstanding. */
export async function openArt73Form(deps: HandlerDeps, key: string): Promise<Reply> {
  const incident = await getIncident(deps.ctx, { key });
  if (!incident.serious) throw new ConflictError('incident.not_serious', `${incident.key} is not flagged as a serious incident.`);
  if (incident.serious.reportSubmittedAt) {
    throw new ConflictError('incident.report_already_submitted', `The Art. 73 report for ${incident.key} was already recorded (${incident.serious.reportRef}).`);
  }
  return { cards: [], form: art73ReportFormCard({ incidentKey: incident.key, today: isoDayOf(deps.ctx.clock.now()), deadline: incident.serious.deadline }) };
}

export const art73FormSubmitted = (deps: HandlerDeps, actor: Person, d: Art73ReportSubmission): Promise<Reply> =>
  incidentReportReply(deps, actor, { incidentKey: d.incidentKey, reportRef: d.reportRef, submittedAt: d.submittedAt });
