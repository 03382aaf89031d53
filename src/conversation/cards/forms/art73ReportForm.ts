/**
 * The small form behind "Record Art. 73 report": the reference of the report sent to the
 * market surveillance authority and the day it went (default today), so a report sent
 * yesterday and recorded today is not counted as late.
 */
import { z } from 'zod';
import { ART73_FORM_ID } from '../../actions';
import { isoDay } from '../../grammar/incidentCommands';
import type { Card } from '../model';
import { endOfDayOrNow, isFutureDay } from './days';

export const ART73_INPUTS = { reference: 'reference', submittedOn: 'submitted_on' } as const;

export interface Art73ReportSubmission {
  incidentKey: string;
  reportRef: string;
  /** The day as picked, resolved to its last moment (never after now). */
  submittedAt: Date;
}

export function art73ReportFormCard(opts: { incidentKey: string; today: string; deadline?: Date }): Card {
  return {
    title: `Art. 73 report for ${opts.incidentKey}`,
    text: `Record the serious-incident report sent to the market surveillance authority (EU AI Act Art. 73).${
      opts.deadline ? ` It was due ${opts.deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC.` : ''
    } This stops the reminders.`,
    form: {
      id: ART73_FORM_ID,
      submitLabel: 'Record',
      inputs: [
        { id: ART73_INPUTS.reference, kind: 'text', label: 'Report reference', required: true, maxLength: 200, placeholder: 'e.g. MSA-2026-114' },
        { id: ART73_INPUTS.submittedOn, kind: 'date', label: 'Submitted on', required: true, initial: opts.today, hint: 'The day the report went to the authority (UTC).' },
      ],
      hidden: { incidentKey: opts.incidentKey },
    },
  };
}

const schema = z.object({
  incidentKey: z.string({ error: 'incidentKey: missing' }).regex(/^INC-\d+$/, 'incidentKey: expected INC-n'),
  [ART73_INPUTS.reference]: z.string({ error: 'Report reference: required' }).min(1, 'Report reference: required').max(200, 'Report reference: at most 200 characters'),
  [ART73_INPUTS.submittedOn]: z.string({ error: 'Submitted on: required' }).pipe(isoDay),
});

export type Art73Parse = { ok: true; data: Art73ReportSubmission } | { ok: false; field: string; message: string };

/** Values are already trimmed strings (or undefined) by the caller. */
export function parseArt73Report(values: { incidentKey?: string; reference?: string; submittedOn?: string }, now: Date): Art73Parse {
  const parsed = schema.safeParse({ incidentKey: values.incidentKey, reference: values.reference, submitted_on: values.submittedOn });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? String(issue.path[0]) : '';
    const message = field === ART73_INPUTS.submittedOn && issue?.message.startsWith('expected') ? `Submitted on: ${issue.message}` : (issue?.message ?? 'invalid form');
    return { ok: false, field, message };
  }
  const day = parsed.data.submitted_on;
  if (isFutureDay(day, now)) return { ok: false, field: ART73_INPUTS.submittedOn, message: 'Submitted on: the day cannot be in the future.' };
  return { ok: true, data: { incidentKey: parsed.data.incidentKey, reportRef: parsed.data.reference, submittedAt: endOfDayOrNow(day, now) } };
}
