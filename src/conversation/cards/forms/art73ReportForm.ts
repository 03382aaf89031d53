/**
 * The small form behind "Record Art. 73 report": which report it was, its reference and the day
 * it went to the market surveillance authority (default today), so a report sent yesterday and
 * recorded today is not counted as late. Art. 73(5) allows an initial, incomplete report followed
 * by a complete one (test/fixtures/reference eu-ai-act.json, serious_incident_reporting_art73):
 * the kind is an explicit pick with nothing preselected, because an initial report recorded as
 * complete would silently stop the reminders for the report still due. Once an initial
 * report is recorded only the complete one is left to record.
 */
import { z } from 'zod';
import { ART73_FORM_ID } from '../../actions';
import { isoDay } from '../../grammar/incidentCommands';
import { REPORT_KINDS, type ReportKind } from '../../../domain/incidents/recordReportSubmitted';
import type { Card } from '../model';
import { endOfDayOrNow, isFutureDay } from './days';

export const ART73_INPUTS = { kind: 'report_kind', reference: 'reference', submittedOn: 'submitted_on' } as const;

const KIND_OPTIONS: Record<ReportKind, string> = {
  initial: 'Initial report: incomplete, the complete one follows (Art. 73(5))',
  complete: 'Complete report',
};

export interface Art73ReportSubmission {
  incidentKey: string;
  kind: ReportKind;
  reportRef: string;
  /** The day as picked, resolved to its last moment (never after now). */
  submittedAt: Date;
}

export function art73ReportFormCard(opts: { incidentKey: string; today: string; deadline?: Date; initialReportAt?: Date }): Card {
  const due = opts.deadline ? ` It was due ${opts.deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC.` : '';
  const kinds: ReportKind[] = opts.initialReportAt ? ['complete'] : ['initial', 'complete'];
  return {
    title: `Art. 73 report for ${opts.incidentKey}`,
    text: opts.initialReportAt
      ? `Record the complete serious-incident report that follows the initial one of ${opts.initialReportAt.toISOString().slice(0, 10)} (EU AI Act Art. 73(5)). This stops the reminders.`
      : `Record the serious-incident report sent to the market surveillance authority (EU AI Act Art. 73).${due} An initial, incomplete report meets the deadline but the reminders continue until the complete one is recorded (Art. 73(5)); a complete report stops them.`,
    form: {
      id: ART73_FORM_ID,
      submitLabel: 'Record',
      inputs: [
        {
          id: ART73_INPUTS.kind,
          kind: 'select',
          label: 'Report',
          required: true,
          options: kinds.map((k) => ({ value: k, label: KIND_OPTIONS[k] })),
          ...(opts.initialReportAt ? { initial: 'complete' } : {}),
        },
        { id: ART73_INPUTS.reference, kind: 'text', label: 'Report reference', required: true, maxLength: 200, placeholder: 'e.g. MSA-2026-114' },
        { id: ART73_INPUTS.submittedOn, kind: 'date', label: 'Submitted on', required: true, initial: opts.today, hint: 'The day the report went to the authority (UTC).' },
      ],
      hidden: { incidentKey: opts.incidentKey },
    },
  };
}

const schema = z.object({
  [ART73_INPUTS.kind]: z.enum(REPORT_KINDS, { error: 'Report: choose initial or complete' }),
  incidentKey: z.string({ error: 'incidentKey: missing' }).regex(/^INC-\d+$/, 'incidentKey: expected INC-n'),
  [ART73_INPUTS.reference]: z.string({ error: 'Report reference: required' }).min(1, 'Report reference: required').max(200, 'Report reference: at most 200 characters'),
  [ART73_INPUTS.submittedOn]: z.string({ error: 'Submitted on: required' }).pipe(isoDay),
});

export type Art73Parse = { ok: true; data: Art73ReportSubmission } | { ok: false; field: string; message: string };

/** Values are already trimmed strings (or undefined) by the caller. */
export function parseArt73Report(values: { incidentKey?: string; kind?: string; reference?: string; submittedOn?: string }, now: Date): Art73Parse {
  const parsed = schema.safeParse({ incidentKey: values.incidentKey, report_kind: values.kind, reference: values.reference, submitted_on: values.submittedOn });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? String(issue.path[0]) : '';
    const message = field === ART73_INPUTS.submittedOn && issue?.message.startsWith('expected') ? `Submitted on: ${issue.message}` : (issue?.message ?? 'invalid form');
    return { ok: false, field, message };
  }
  const day = parsed.data.submitted_on;
  if (isFutureDay(day, now)) return { ok: false, field: ART73_INPUTS.submittedOn, message: 'Submitted on: the day cannot be in the future.' };
  return { ok: true, data: { incidentKey: parsed.data.incidentKey, kind: parsed.data.report_kind, reportRef: parsed.data.reference, submittedAt: endOfDayOrNow(day, now) } };
}
