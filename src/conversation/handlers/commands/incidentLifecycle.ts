/**
 * Moving an incident past "reported": status, notes, the serious flag and the Art. 73 report,
 * typed (`incident INC-n ...`) or pressed on the incident card. Each is one domain call; the
 * domain decides who may act and refuses out-of-order moves.
 */
import { z } from 'zod';
import { ConflictError, ValidationError } from '../../../domain/errors';
import { addTimelineEntry } from '../../../domain/incidents/addTimelineEntry';
import { correctAwareness } from '../../../domain/incidents/correctAwareness';
import { flagSerious } from '../../../domain/incidents/flagSerious';
import { recordProviderInformed } from '../../../domain/incidents/recordProviderInformed';
import { formatUtc } from '../../../domain/schedules/dates';
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

/**
 * `aware YYYY-MM-DD` counts from the start of that day (never later than the law allows); absent:
 * the awareness already recorded, else the incident's first report, and the reply says which.
 */
export async function incidentSeriousReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'incident_serious'>): Promise<Reply> {
  const incident = await flagSerious(deps.ctx, { actorId: actor.id, key: cmd.incidentKey, basis: cmd.basis, ...(cmd.awareOn ? { awareAt: startOfDay(cmd.awareOn) } : {}) });
  const s = incident.serious!;
  const from = cmd.awareOn
    ? ''
    : s.awareSource === 'first_report'
      ? ` Awareness taken as the first report, ${formatUtc(s.awareAt)}, because no date was given; if you knew earlier, add "aware YYYY-MM-DD".`
      : ` Awareness kept at ${formatUtc(s.awareAt)}, as first recorded.`;
  return done(deps, incident, actor, `Flagged serious: the Art. 73 report is due ${formatUtc(s.deadline)}.${from}`);
}

export async function incidentReportReply(
  deps: HandlerDeps,
  actor: Person,
  input: { incidentKey: string; reportRef: string; submittedAt?: Date; kind?: 'initial' | 'complete' },
): Promise<Reply> {
  const kind = input.kind ?? 'complete';
  const incident = await recordReportSubmitted(deps.ctx, {
    actorId: actor.id,
    key: input.incidentKey,
    reportRef: input.reportRef,
    kind,
    ...(input.submittedAt ? { submittedAt: input.submittedAt } : {}),
  });
  const what = kind === 'initial' ? `Initial Art. 73 report recorded (${input.reportRef}); reminders continue until the complete report is recorded.` : `Art. 73 report recorded (${input.reportRef}); reminders stop.`;
  return done(deps, incident, actor, what);
}

/** AI Governance & Legal's explicit, audited correction of the awareness day. */
export async function incidentAwareReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'incident_aware'>): Promise<Reply> {
  const incident = await correctAwareness(deps.ctx, { actorId: actor.id, key: cmd.incidentKey, awareAt: startOfDay(cmd.awareOn), reason: cmd.reason });
  return done(deps, incident, actor, `Awareness corrected to ${formatUtc(incident.serious!.awareAt)}: the Art. 73 report is due ${formatUtc(incident.serious!.deadline)}.`);
}

/** Art. 26(5): the deployer informed the provider first. */
export async function incidentProviderInformedReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'incident_provider_informed'>): Promise<Reply> {
  const incident = await recordProviderInformed(deps.ctx, { actorId: actor.id, key: cmd.incidentKey, ...(cmd.note ? { note: cmd.note } : {}) });
  return done(deps, incident, actor, `Recorded: provider informed ${formatUtc(incident.serious!.providerInformedAt!)} (Art. 26(5)).`);
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
  const { deadline, initialReportAt } = incident.serious;
  return { cards: [], form: art73ReportFormCard({ incidentKey: incident.key, today: isoDayOf(deps.ctx.clock.now()), deadline, ...(initialReportAt ? { initialReportAt } : {}) }) };
}

export const art73FormSubmitted = (deps: HandlerDeps, actor: Person, d: Art73ReportSubmission): Promise<Reply> =>
  incidentReportReply(deps, actor, { incidentKey: d.incidentKey, reportRef: d.reportRef, submittedAt: d.submittedAt, kind: d.kind });
