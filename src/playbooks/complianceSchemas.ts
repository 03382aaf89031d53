/**
 * The shape of risk.yaml, controls.yaml, incidents.yaml and regulation.yaml (single-file checks).
 */
import { z } from 'zod';
import { DATA_CLASSES, RISK_TIERS, SEVERITIES } from '../domain/types';
import { coversAll, positiveIntSchema, idSchema, isoDateSchema, textSchema, uniqueBy } from './schemaKit';

const SIGNALS = [
  'prohibited', 'high', 'annex_i_act', 'high_annex_iii', 'exemption', 'material_influence', 'profiling', 'transparency',
  'transparency_exemption', 'role', 'role_shift', 'deployer_type', 'placed_on_market', 'gpai_info', 'data_classes', 'context',
] as const;
const KINDS = ['boolean', 'single_select', 'multi_select', 'text'] as const;
const dataClassSchema = z.enum(DATA_CLASSES);

const questionSchema = z
  .strictObject({
    id: idSchema,
    text: textSchema,
    help: textSchema.optional(),
    kind: z.enum(KINDS),
    options: z
      .array(z.strictObject({ id: idSchema, label: textSchema, ref: textSchema.optional(), appliesFrom: idSchema.optional() }))
      .superRefine(uniqueBy((o) => o.id))
      .optional(),
    signal: z.enum(SIGNALS),
    ref: textSchema.optional(),
    required: z.boolean().default(true),
    /** Asked (and required) only when another answer holds; `any` = any positive selection. */
    when: z.strictObject({ question: idSchema, anyOf: z.array(z.union([z.string(), z.boolean()])).min(1) }).optional(),
    party: z.enum(['provider', 'deployer']).optional(),
    exempts: idSchema.optional(),
    annexIII: textSchema.optional(),
    format: z.enum(['date']).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.signal === 'transparency' && !q.party) ctx.addIssue({ code: 'custom', path: ['party'], message: 'a transparency question names the party that owes the duty (provider or deployer)' });
    if (q.signal === 'transparency_exemption' && !q.exempts) ctx.addIssue({ code: 'custom', path: ['exempts'], message: 'a transparency_exemption question names the question it exempts' });
    const isSelect = q.kind === 'single_select' || q.kind === 'multi_select';
    if (isSelect && (q.options?.length ?? 0) < 2) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${q.kind} question needs at least two options` });
    }
    if (!isSelect && q.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${q.kind} question takes no options` });
    }
    if (q.signal === 'data_classes') {
      if (q.kind !== 'multi_select') {
        ctx.addIssue({ code: 'custom', path: ['kind'], message: 'a data_classes question must be multi_select' });
      }
      q.options?.forEach((o, i) => {
        if (!(DATA_CLASSES as readonly string[]).includes(o.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['options', i, 'id'],
            message: `"${o.id}" is not a data class (expected one of ${DATA_CLASSES.join(', ')})`,
          });
        }
      });
    }
  });

export const riskFileSchema = z.strictObject({
  questions: z
    .array(questionSchema)
    .min(1, 'define at least one question')
    .superRefine(uniqueBy((q) => q.id))
    .superRefine((qs, ctx) => {
      const ids = new Set(qs.map((q) => q.id));
      qs.forEach((q, i) => {
        if (q.when && !ids.has(q.when.question)) ctx.addIssue({ code: 'custom', path: [i, 'when', 'question'], message: `unknown question "${q.when.question}"` });
        if (q.exempts && !ids.has(q.exempts)) ctx.addIssue({ code: 'custom', path: [i, 'exempts'], message: `unknown question "${q.exempts}"` });
      });
    }),
  dataClasses: z
    .array(
      z.strictObject({
        id: dataClassSchema,
        name: textSchema,
        description: textSchema,
        rank: z.number().int('expected a whole number').nonnegative('expected 0 or more'),
      }),
    )
    .superRefine(uniqueBy((d) => d.id))
    .superRefine(uniqueBy((d) => String(d.rank), 'rank'))
    .superRefine(coversAll(DATA_CLASSES, (d) => d.id, 'data class')),
});

const frameworkIds = z.array(textSchema).default([]);

export const controlsFileSchema = z.strictObject({
  controls: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Z][A-Z0-9-]*$/, 'expected an upper-case id such as CTL-PROMPT-INJECTION'),
        title: textSchema,
        description: textSchema,
        frameworks: z.strictObject({
          nistAiRmf: frameworkIds,
          euAiAct: frameworkIds,
          owaspLlm: frameworkIds,
          iso42001: frameworkIds,
        }),
        requiredFor: z.strictObject({
          tiers: z.array(z.enum(RISK_TIERS)).default([]),
          dataClasses: z.array(dataClassSchema).default([]),
        }),
        evidence: textSchema,
      }),
    )
    .superRefine(uniqueBy((c) => c.id)),
});

const BASES = ['general', 'widespread_or_critical_infrastructure', 'death'] as const;

export const incidentsFileSchema = z.strictObject({
  severities: z
    .array(
      z.strictObject({
        id: z.enum(SEVERITIES),
        name: textSchema,
        definition: textSchema,
        acknowledgeWithinMinutes: positiveIntSchema,
        resolveWithinHours: positiveIntSchema,
      }),
    )
    .superRefine(uniqueBy((s) => s.id))
    .superRefine(coversAll(SEVERITIES, (s) => s.id, 'severity')),
  categories: z
    .array(
      z.strictObject({
        id: idSchema,
        name: textSchema,
        owaspLlm: frameworkIds,
        runbook: z.array(textSchema).min(1, 'give at least one runbook step'),
      }),
    )
    .min(1, 'define at least one category')
    .superRefine(uniqueBy((c) => c.id)),
  serious: z.strictObject({
    questions: z
      .array(z.strictObject({ id: idSchema, text: textSchema, basis: z.enum(BASES) }))
      .min(1, 'define at least one serious-incident question')
      .superRefine(uniqueBy((q) => q.id)),
    deadlinesDays: z.strictObject({ general: positiveIntSchema, widespread_or_critical_infrastructure: positiveIntSchema, death: positiveIntSchema }),
    reminderFractions: z
      .array(z.number().gt(0, 'expected a fraction above 0').lt(1, 'expected a fraction below 1'))
      .default([])
      .superRefine((f, ctx) => {
        if (f.some((x, i) => i > 0 && x <= f[i - 1]!)) ctx.addIssue({ code: 'custom', message: 'fractions must be in increasing order' });
      }),
  }),
});

const partySchema = z.enum(['provider', 'deployer']);
const routeSchema = z.enum(['annex_iii', 'annex_i']);
const answerCondition = z.record(idSchema, z.array(z.union([z.string(), z.boolean()])).min(1));

/** One obligation Steward tracks (see regulation.yaml's comment for the meaning of `when`). */
const obligationSchema = z
  .strictObject({
    id: idSchema,
    article: textSchema,
    title: textSchema,
    party: z.array(partySchema).min(1),
    when: z.strictObject({
      tiers: z.array(z.enum(RISK_TIERS)).optional(),
      routes: z.array(routeSchema).optional(),
      if: answerCondition.optional(),
      ifAny: answerCondition.optional(),
      art50: textSchema.optional(),
      fria: z.boolean().optional(),
      exemption63: z.boolean().optional(),
    }),
    from: idSchema.optional(),
    fromByRoute: z.strictObject({ annex_iii: idSchema.optional(), annex_i: idSchema.optional() }).optional(),
    fromIfPlacedBefore: z.strictObject({ date: isoDateSchema, row: idSchema }).optional(),
    controlIds: z.array(textSchema).default([]),
    owner: idSchema,
  })
  .superRefine((o, ctx) => {
    if (!o.from && !o.fromByRoute) ctx.addIssue({ code: 'custom', message: 'give `from` or `fromByRoute` (an applicationDates id)' });
  });

export const regulationFileSchema = z
  .strictObject({
    datesInForce: z.enum(['original', 'amended']),
    amendment: z.strictObject({ name: textSchema, instrument: textSchema, status: textSchema }).optional(),
    sources: z.array(z.strictObject({ id: idSchema, title: textSchema, url: z.url('expected a URL'), what: textSchema })).superRefine(uniqueBy((s) => s.id)).default([]),
    applicationDates: z
      .array(
        z
          .strictObject({
            id: idSchema,
            what: textSchema,
            ref: textSchema.optional(),
            source: idSchema.optional(),
            original: isoDateSchema.optional(),
            amended: isoDateSchema.optional(),
          })
          .superRefine((d, ctx) => {
            if (!d.original && !d.amended) ctx.addIssue({ code: 'custom', message: 'give an original date, an amended date or both' });
          }),
      )
      .superRefine(uniqueBy((d) => d.id)),
    obligations: z.array(obligationSchema).superRefine(uniqueBy((o) => o.id)).default([]),
  })
  .superRefine((r, ctx) => {
    // Every date row an obligation names, and every source a row names, must exist.
    const rows = new Set(r.applicationDates.map((d) => d.id));
    const sources = new Set(r.sources.map((s) => s.id));
    r.applicationDates.forEach((d, i) => {
      if (d.source && !sources.has(d.source)) ctx.addIssue({ code: 'custom', path: ['applicationDates', i, 'source'], message: `unknown source "${d.source}"` });
    });
    r.obligations.forEach((o, i) => {
      const named = [o.from, o.fromByRoute?.annex_iii, o.fromByRoute?.annex_i, o.fromIfPlacedBefore?.row].filter((x): x is string => !!x);
      for (const id of named) {
        if (!rows.has(id)) ctx.addIssue({ code: 'custom', path: ['obligations', i], message: `unknown applicationDates id "${id}"` });
      }
    });
  });
