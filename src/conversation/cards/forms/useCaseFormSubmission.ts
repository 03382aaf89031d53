/**
 * Submissions of the use case maintenance forms (useCaseForms.ts), validated with zod. The
 * update form is the intake form, so its answers are parsed by the intake parser; this adds
 * the use case it belongs to.
 */
import { z } from 'zod';
import { EVIDENCE_FORM_ID, type INTAKE_FORM_ID, UPDATE_FORM_ID } from '../../actions';
import { keyFrom } from '../../grammar/aliases';
import { httpUrl } from '../../grammar/schema';
import type { FormResult, FormValue, FormValues, IntakeSubmission } from './parseFormSubmission';
import { EVIDENCE_INPUTS } from './useCaseForms';

export interface UpdateSubmission extends IntakeSubmission {
  useCaseKey: string;
}
export interface EvidenceSubmission {
  useCaseKey: string;
  controlId: string;
  url: string;
  note?: string;
}

const text = (v: FormValue): string | undefined => {
  const s = Array.isArray(v) ? v[0] : typeof v === 'string' ? v : undefined;
  const t = s?.trim();
  return t ? t : undefined;
};

const useCaseKey = z.string({ error: 'useCaseKey: missing' }).regex(/^UC-\d+$/, 'useCaseKey: expected UC-n');
const keyOf = (values: FormValues): string | undefined => {
  const key = text(values.useCaseKey);
  return key ? (keyFrom('UC', key) ?? key) : undefined;
};

/** The intake parser's result plus the hidden use case key. */
export function toUpdateSubmission(intake: FormResult<typeof INTAKE_FORM_ID>, values: FormValues): FormResult<typeof UPDATE_FORM_ID> {
  if (!intake.ok) return { ...intake, formId: UPDATE_FORM_ID };
  const key = useCaseKey.safeParse(keyOf(values));
  if (!key.success) return { ok: false, formId: UPDATE_FORM_ID, field: '', message: key.error.issues[0]?.message ?? 'useCaseKey: missing' };
  return { ok: true, formId: UPDATE_FORM_ID, data: { ...intake.data, useCaseKey: key.data } };
}

const evidenceSchema = z.object({
  useCaseKey,
  [EVIDENCE_INPUTS.control]: z.string({ error: 'Control: choose one' }).regex(/^[A-Z0-9][A-Z0-9_.-]{0,79}$/, 'Control: choose one'),
  [EVIDENCE_INPUTS.url]: z.string({ error: 'Link to the evidence: required' }).pipe(httpUrl),
  [EVIDENCE_INPUTS.note]: z.string().max(1000, 'Note: at most 1000 characters').optional(),
});

export function parseEvidenceForm(values: FormValues): FormResult<typeof EVIDENCE_FORM_ID> {
  const parsed = evidenceSchema.safeParse({
    useCaseKey: keyOf(values),
    [EVIDENCE_INPUTS.control]: text(values[EVIDENCE_INPUTS.control])?.toUpperCase(),
    [EVIDENCE_INPUTS.url]: text(values[EVIDENCE_INPUTS.url]),
    [EVIDENCE_INPUTS.note]: text(values[EVIDENCE_INPUTS.note]),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, formId: EVIDENCE_FORM_ID, field: issue?.path.length ? String(issue.path[0]) : '', message: issue?.message ?? 'invalid form' };
  }
  const d = parsed.data;
  return { ok: true, formId: EVIDENCE_FORM_ID, data: { useCaseKey: d.useCaseKey, controlId: d.control, url: d.url, ...(d.note ? { note: d.note } : {}) } };
}
