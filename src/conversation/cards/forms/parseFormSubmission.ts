/**
 * Validates a submitted form with zod and returns typed input for the domain, or the first
 * problem as { field, message } so a channel can show it next to the input (Slack
 * response_action "errors" keyed by inputBlockId(field)) or as one line elsewhere.
 * Values arrive as the channels deliver them: strings, string arrays, booleans, "true"/"false",
 * comma-separated multi-selects (Adaptive Cards). Hidden values are merged in by key.
 */
import { z } from 'zod';
import type { Policy } from '../../../domain/policy';
import { DATA_CLASSES } from '../../../domain/types';
import type { DataClass, SeriousBasis } from '../../../domain/types';
import { ART73_FORM_ID, INCIDENT_FORM_ID, INTAKE_FORM_ID, REJECT_FORM_ID, REVIEW_DONE_FORM_ID } from '../../actions';
import type { FormId } from '../../actions';
import { keyFrom } from '../../grammar/aliases';
import { httpUrl } from '../../grammar/schema';
import { ART73_INPUTS, parseArt73Report, type Art73ReportSubmission } from './art73ReportForm';
import { awareSince } from './awareSince';
import { INCIDENT_INPUTS, SERIOUS_INPUT_PREFIX } from './incidentForm';
import { INTAKE_INPUTS, NO, questionInputId, YES } from './intakeForm';
import { REJECT_INPUTS, REVIEW_DONE_INPUTS } from './smallForms';
import { EVIDENCE_FORM_ID, FRIA_FORM_ID, UPDATE_FORM_ID } from '../../actions';
import { parseFriaForm, type FriaSubmission } from './friaForm';
import { parseEvidenceForm, toUpdateSubmission, type EvidenceSubmission, type UpdateSubmission } from './useCaseFormSubmission';

export type FormValue = string | string[] | boolean | null | undefined;
export type FormValues = Record<string, FormValue>;

export interface IntakeSubmission {
  title: string;
  description: string;
  models: string[];
  /** By question id: boolean, option id, option ids or text. */
  answers: Record<string, unknown>;
  /** From the question whose signal is `data_classes`. */
  dataClasses: DataClass[];
}
export interface IncidentSubmission {
  useCaseKey?: string;
  modelName?: string;
  category: string;
  severity: string;
  title?: string;
  description: string;
  /** Seriousness answers by question id. */
  serious: Record<string, boolean>;
  /** The most urgent basis among the answers ticked (shortest Art. 73 deadline), if any. */
  seriousBasis?: SeriousBasis;
  /** Start of the "Aware since" day; absent when the form had no such input (an old form). */
  awareAt?: Date;
  killSwitch: boolean;
}
export interface RejectSubmission {
  approvalKey: string;
  reason: string;
}
export interface ReviewDoneSubmission {
  useCaseKey: string;
  evidenceUrl: string;
  attestation: true;
  notes?: string;
}
export interface FormSubmissions {
  [INTAKE_FORM_ID]: IntakeSubmission;
  [INCIDENT_FORM_ID]: IncidentSubmission;
  [REJECT_FORM_ID]: RejectSubmission;
  [REVIEW_DONE_FORM_ID]: ReviewDoneSubmission;
  [UPDATE_FORM_ID]: UpdateSubmission;
  [EVIDENCE_FORM_ID]: EvidenceSubmission;
  [ART73_FORM_ID]: Art73ReportSubmission;
  [FRIA_FORM_ID]: FriaSubmission;
}
export type FormResult<F extends FormId> = { ok: true; formId: F; data: FormSubmissions[F] } | { ok: false; formId: F; field: string; message: string };

const text = (v: FormValue): string | undefined => {
  const s = Array.isArray(v) ? v[0] : typeof v === 'string' ? v : undefined;
  const t = s?.trim();
  return t ? t : undefined;
};
const list = (v: FormValue): string[] =>
  Array.isArray(v) ? v.filter((s) => s.trim()) : typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
const bool = (v: FormValue): boolean =>
  v === true || (typeof v === 'string' && ['true', 'on', 'yes', YES].includes(v.toLowerCase())) || (Array.isArray(v) && v.some((s) => ['true', 'on', 'yes'].includes(s)));

const required = (label: string, max: number) => z.string({ error: `${label}: required` }).min(1, `${label}: required`).max(max, `${label}: at most ${max} characters`);
const optional = (label: string, max: number) => z.string().max(max, `${label}: at most ${max} characters`).optional();

function fail<F extends FormId>(formId: F, error: z.ZodError): FormResult<F> {
  const issue = error.issues[0];
  // The field is the input id (the first path segment), which is what a channel can point at.
  return { ok: false, formId, field: issue?.path.length ? String(issue.path[0]) : '', message: issue?.message ?? 'invalid form' };
}

function parseIntake(values: FormValues, policy: Policy): FormResult<typeof INTAKE_FORM_ID> {
  const shape: Record<string, z.ZodType> = {
    [INTAKE_INPUTS.title]: required('Title', 150),
    [INTAKE_INPUTS.description]: required('Description', 3000),
    [INTAKE_INPUTS.models]: z.array(z.string().max(100)).max(50),
  };
  const raw: Record<string, unknown> = {
    [INTAKE_INPUTS.title]: text(values[INTAKE_INPUTS.title]),
    [INTAKE_INPUTS.description]: text(values[INTAKE_INPUTS.description]),
    [INTAKE_INPUTS.models]: list(values[INTAKE_INPUTS.models]).map((m) => m.toLowerCase()),
  };
  for (let q of policy.risk.questions) {
    const id = questionInputId(q.id);
    const label = q.text.length > 60 ? `${q.text.slice(0, 59)}…` : q.text;
    const ids = (q.options ?? []).map((o) => o.id) as [string, ...string[]];
    const v = values[id];
    // A follow-up (`when`) is required only while asked; the domain checks that against the other answers.
    q = q.when ? { ...q, required: false } : q;
    if (q.kind === 'boolean') {
      const answer = text(v);
      raw[id] = q.required ? (answer === YES ? true : answer === NO ? false : answer === undefined ? undefined : bool(v)) : bool(v);
      shape[id] = q.required ? z.boolean({ error: `${label}: answer yes or no` }) : z.boolean();
    } else if (q.kind === 'single_select') {
      raw[id] = text(v);
      const one = z.enum(ids, { error: `${label}: choose one of the options` });
      shape[id] = q.required ? one : one.optional();
    } else if (q.kind === 'multi_select') {
      raw[id] = list(v);
      const many = z.array(z.enum(ids, { error: `${label}: unknown option` }));
      shape[id] = q.required ? many.min(1, `${label}: choose at least one`) : many;
    } else {
      raw[id] = text(v);
      shape[id] = q.required ? required(label, 2000) : optional(label, 2000);
    }
  }
  const parsed = z.object(shape).safeParse(raw);
  if (!parsed.success) return fail(INTAKE_FORM_ID, parsed.error);
  const data = parsed.data as Record<string, unknown>;
  const answers: Record<string, unknown> = {};
  const dataClasses = new Set<DataClass>();
  for (const q of policy.risk.questions) {
    const answer = data[questionInputId(q.id)];
    if (answer !== undefined) answers[q.id] = answer;
    if (q.signal === 'data_classes') {
      for (const id of Array.isArray(answer) ? answer : [answer]) {
        const dc = DATA_CLASSES.find((d) => d === id);
        if (dc) dataClasses.add(dc);
      }
    }
  }
  return {
    ok: true,
    formId: INTAKE_FORM_ID,
    data: { title: data.title as string, description: data.description as string, models: data.models as string[], answers, dataClasses: [...dataClasses] },
  };
}

function parseIncident(values: FormValues, policy: Policy, now?: Date): FormResult<typeof INCIDENT_FORM_ID> {
  const categories = policy.incidents.categories.map((c) => c.id) as [string, ...string[]];
  const severities = policy.incidents.severities.map((s) => s.id) as [string, ...string[]];
  const typedKey = text(values[INCIDENT_INPUTS.useCase]) ?? text(values.useCaseKey);
  const schema = z.object({
    [INCIDENT_INPUTS.useCase]: z.string().regex(/^UC-\d+$/, 'Use case: expected an id like UC-3').optional(),
    [INCIDENT_INPUTS.model]: z.string().max(100).optional(),
    [INCIDENT_INPUTS.category]: z.enum(categories, { error: 'Category: choose one' }),
    [INCIDENT_INPUTS.severity]: z.enum(severities, { error: `Severity: expected one of ${severities.join(', ')}` }),
    [INCIDENT_INPUTS.title]: optional('Short title', 150),
    [INCIDENT_INPUTS.description]: required('What happened', 3000),
  });
  const parsed = schema.safeParse({
    [INCIDENT_INPUTS.useCase]: typedKey ? (keyFrom('UC', typedKey) ?? typedKey) : undefined,
    [INCIDENT_INPUTS.model]: text(values[INCIDENT_INPUTS.model])?.toLowerCase(),
    [INCIDENT_INPUTS.category]: text(values[INCIDENT_INPUTS.category]),
    [INCIDENT_INPUTS.severity]: text(values[INCIDENT_INPUTS.severity])?.toLowerCase(),
    [INCIDENT_INPUTS.title]: text(values[INCIDENT_INPUTS.title]),
    [INCIDENT_INPUTS.description]: text(values[INCIDENT_INPUTS.description]),
  });
  if (!parsed.success) return fail(INCIDENT_FORM_ID, parsed.error);
  const serious: Record<string, boolean> = {};
  let seriousBasis: SeriousBasis | undefined;
  const days = policy.incidents.serious.deadlinesDays;
  for (const q of policy.incidents.serious.questions) {
    serious[q.id] = bool(values[`${SERIOUS_INPUT_PREFIX}${q.id}`]);
    if (serious[q.id] && (!seriousBasis || days[q.basis] < days[seriousBasis])) seriousBasis = q.basis;
  }
  const aware = awareSince(text(values[INCIDENT_INPUTS.awareSince]), now);
  if (!aware.ok) return { ok: false, formId: INCIDENT_FORM_ID, field: INCIDENT_INPUTS.awareSince, message: aware.message };
  const d = parsed.data;
  return {
    ok: true,
    formId: INCIDENT_FORM_ID,
    data: {
      ...(d.use_case ? { useCaseKey: d.use_case } : {}),
      ...(d.model ? { modelName: d.model } : {}),
      category: d.category,
      severity: d.severity,
      ...(d.title ? { title: d.title } : {}),
      description: d.description,
      serious,
      ...(seriousBasis ? { seriousBasis } : {}),
      ...(aware.awareAt ? { awareAt: aware.awareAt } : {}),
      killSwitch: bool(values[INCIDENT_INPUTS.killSwitch]),
    },
  };
}

const rejectSchema = z.object({
  approvalKey: z.string({ error: 'approvalKey: missing' }).regex(/^APR-\d+$/, 'approvalKey: expected APR-n'),
  [REJECT_INPUTS.reason]: z.string({ error: 'Reason: required to reject' }).min(3, 'Reason: required to reject').max(2000, 'Reason: at most 2000 characters'),
});

const reviewSchema = z.object({
  useCaseKey: z.string({ error: 'useCaseKey: missing' }).regex(/^UC-\d+$/, 'useCaseKey: expected UC-n'),
  [REVIEW_DONE_INPUTS.evidenceUrl]: z.string({ error: 'Link to the evidence: required' }).pipe(httpUrl),
  [REVIEW_DONE_INPUTS.attestation]: z.literal(true, { error: 'Attestation: tick the box to attest the review' }),
  [REVIEW_DONE_INPUTS.notes]: optional('Notes', 2000),
});

export function parseFormSubmission<F extends FormId>(formId: F, values: FormValues, context: { policy: Policy; now?: Date }): FormResult<F> {
  switch (formId) {
    case INTAKE_FORM_ID:
      return parseIntake(values, context.policy) as FormResult<F>;
    case INCIDENT_FORM_ID:
      return parseIncident(values, context.policy, context.now) as FormResult<F>;
    case REJECT_FORM_ID: {
      const key = text(values.approvalKey);
      const parsed = rejectSchema.safeParse({ approvalKey: key ? (keyFrom('APR', key) ?? key) : undefined, reason: text(values[REJECT_INPUTS.reason]) });
      if (!parsed.success) return fail(formId, parsed.error);
      return { ok: true, formId, data: { approvalKey: parsed.data.approvalKey, reason: parsed.data.reason } } as FormResult<F>;
    }
    case REVIEW_DONE_FORM_ID: {
      const key = text(values.useCaseKey);
      const parsed = reviewSchema.safeParse({
        useCaseKey: key ? (keyFrom('UC', key) ?? key) : undefined,
        evidence_url: text(values[REVIEW_DONE_INPUTS.evidenceUrl]),
        attestation: bool(values[REVIEW_DONE_INPUTS.attestation]),
        notes: text(values[REVIEW_DONE_INPUTS.notes]),
      });
      if (!parsed.success) return fail(formId, parsed.error);
      const d = parsed.data;
      return { ok: true, formId, data: { useCaseKey: d.useCaseKey, evidenceUrl: d.evidence_url, attestation: true, ...(d.notes ? { notes: d.notes } : {}) } } as FormResult<F>;
    }
    case ART73_FORM_ID: {
      const r = parseArt73Report(
        { incidentKey: text(values.incidentKey)?.toUpperCase(), kind: text(values[ART73_INPUTS.kind]), reference: text(values[ART73_INPUTS.reference]), submittedOn: text(values[ART73_INPUTS.submittedOn]) },
        context.now ?? new Date(),
      );
      return (r.ok ? { ok: true, formId, data: r.data } : { ok: false, formId, field: r.field, message: r.message }) as FormResult<F>;
    }
    case UPDATE_FORM_ID:
      return toUpdateSubmission(parseIntake(values, context.policy), values) as FormResult<F>;
    case EVIDENCE_FORM_ID:
      return parseEvidenceForm(values) as FormResult<F>;
    case FRIA_FORM_ID: {
      const r = parseFriaForm(values);
      return (r.ok ? { ok: true, formId, data: r.data } : { ok: false, formId, field: r.field, message: r.message }) as FormResult<F>;
    }
    default:
      return { ok: false, formId, field: '', message: `Unknown form ${String(formId)}` } as FormResult<F>;
  }
}
