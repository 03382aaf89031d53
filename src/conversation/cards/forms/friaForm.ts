/**
 * The Art. 27 FRIA form: one input per element (a)–(f), the Official Journal wording as the
 * hint (from playbooks/evidence.yaml), plus the Art. 27(3) notification once sent. Rendered as a
 * Slack modal, a Teams card or a console form like every other form.
 */
import { z } from 'zod';
import { FRIA_FORM_ID } from '../../actions';
import { FRIA_ELEMENT_IDS, type EvidenceTexts, type Fria, type FriaElementId } from '../../../domain/evidence/types';
import type { Card } from '../model';

export const FRIA_INPUTS = { notifiedOn: 'notified_on', notificationRef: 'notification_ref' } as const;
export const friaInputId = (id: FriaElementId): string => `fria_${id}`;

const LABELS: Record<FriaElementId, string> = {
  a: "(a) The deployer's processes using the system",
  b: '(b) Period and frequency of use',
  c: '(c) Categories of persons and groups affected',
  d: '(d) Specific risks of harm to them',
  e: '(e) Human oversight measures',
  f: '(f) Measures if the risks materialise',
};

export function friaFormCard(useCaseKey: string, texts: EvidenceTexts, current?: Fria): Card {
  return {
    title: `Fundamental rights impact assessment: ${useCaseKey}`,
    text: `${texts.fria.article} ${texts.regulation}. Each answer is kept as a new version; earlier ones stay in the history.`,
    form: {
      id: FRIA_FORM_ID,
      submitLabel: 'Record FRIA',
      inputs: [
        ...texts.fria.elements.map((el) => ({
          id: friaInputId(el.id),
          kind: 'multiline' as const,
          label: LABELS[el.id],
          required: true,
          maxLength: 3000,
          hint: `${texts.fria.article}(1)(${el.id}): ${el.text}`.slice(0, 300),
          ...(current?.elements[el.id] ? { initial: current.elements[el.id] } : {}),
        })),
        { id: FRIA_INPUTS.notifiedOn, kind: 'date' as const, label: 'Market surveillance authority notified on (Art. 27(3))', required: false, ...(current?.notifiedAt ? { initial: current.notifiedAt.toISOString().slice(0, 10) } : {}) },
        { id: FRIA_INPUTS.notificationRef, kind: 'text' as const, label: 'Notification reference', required: false, maxLength: 200, ...(current?.notificationRef ? { initial: current.notificationRef } : {}) },
      ],
      hidden: { useCaseKey },
    },
  };
}

export interface FriaSubmission {
  useCaseKey: string;
  elements: Record<FriaElementId, string>;
  notifiedOn?: string;
  notificationRef?: string;
}

const one = (v: unknown): string | undefined => {
  const s = Array.isArray(v) ? v[0] : typeof v === 'string' ? v : undefined;
  return s?.trim() ? s.trim() : undefined;
};

const friaSchema = z.object({
  useCaseKey: z.string({ error: 'useCaseKey: missing' }).regex(/^UC-\d+$/, 'useCaseKey: expected UC-n'),
  ...Object.fromEntries(FRIA_ELEMENT_IDS.map((id) => [friaInputId(id), z.string({ error: `${LABELS[id]}: required` }).min(3, `${LABELS[id]}: required`).max(3000, `${LABELS[id]}: at most 3000 characters`)])),
  [FRIA_INPUTS.notifiedOn]: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Notified on: expected YYYY-MM-DD').optional(),
  [FRIA_INPUTS.notificationRef]: z.string().max(200, 'Notification reference: at most 200 characters').optional(),
});

export type FriaParse = { ok: true; data: FriaSubmission } | { ok: false; field: string; message: string };

export function parseFriaForm(values: Record<string, unknown>): FriaParse {
  const raw: Record<string, string | undefined> = { useCaseKey: one(values.useCaseKey)?.toUpperCase() };
  for (const key of [...FRIA_ELEMENT_IDS.map(friaInputId), FRIA_INPUTS.notifiedOn, FRIA_INPUTS.notificationRef]) raw[key] = one(values[key]);
  const parsed = friaSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, field: issue?.path.length ? String(issue.path[0]) : '', message: issue?.message ?? 'invalid form' };
  }
  const d = parsed.data as Record<string, string>;
  return {
    ok: true,
    data: {
      useCaseKey: d.useCaseKey!,
      elements: Object.fromEntries(FRIA_ELEMENT_IDS.map((id) => [id, d[friaInputId(id)]!])) as Record<FriaElementId, string>,
      ...(d[FRIA_INPUTS.notifiedOn] ? { notifiedOn: d[FRIA_INPUTS.notifiedOn] } : {}),
      ...(d[FRIA_INPUTS.notificationRef] ? { notificationRef: d[FRIA_INPUTS.notificationRef] } : {}),
    },
  };
}
