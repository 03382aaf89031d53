/**
 * The shape of an eval suite file (playbooks/evals/*.yaml|jsonl) and of thresholds.yaml,
 * validated with zod at load time so a bad suite fails before any model is called.
 */
import { z } from 'zod';
import { EVAL_CASE_CLASSES, EVAL_SUITE_KINDS } from '../domain/evals/types';
import { SEVERITIES } from '../domain/types';
import { checkTag } from './frameworkTags';
import { ajv } from './jsonSchema';

const slug = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected a lower-case id (letters, digits, - _ .)');
const textOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const assertionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('equals'), value: z.string(), ignoreCase: z.boolean().default(false) }).strict(),
  z.object({ kind: z.literal('contains'), value: textOrList, ignoreCase: z.boolean().default(true) }).strict(),
  z.object({ kind: z.literal('not_contains'), value: textOrList, ignoreCase: z.boolean().default(true) }).strict(),
  z
    .object({ kind: z.literal('regex'), pattern: z.string().min(1), flags: z.string().regex(/^[gimsuy]*$/).default('i') })
    .strict()
    .superRefine((a, ctx) => {
      try {
        new RegExp(a.pattern, a.flags);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid regular expression: ${(e as Error).message}` });
      }
    }),
  z
    .object({ kind: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
    .strict()
    .superRefine((a, ctx) => {
      try {
        ajv.compile(a.schema);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['schema'], message: `invalid JSON Schema: ${(e as Error).message}` });
      }
    }),
  z.object({ kind: z.literal('refusal'), expect: z.boolean().default(true) }).strict(),
  z.object({ kind: z.literal('max_latency_ms'), value: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('max_tokens'), value: z.number().int().positive() }).strict(),
  z
    .object({
      kind: z.literal('llm_judge'),
      mode: z.enum(['faithfulness', 'rubric']),
      rubric: z.string().min(1).optional(),
      minScore: z.number().min(0).max(1),
      /** Registry name of the judge; default: the suite's defaults.judge. */
      judge: z.string().min(1).optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
      if (a.mode === 'rubric' && !a.rubric) ctx.addIssue({ code: 'custom', path: ['rubric'], message: 'rubric mode needs a rubric' });
    }),
]);
export type Assertion = z.infer<typeof assertionSchema>;
export type AssertionKind = Assertion['kind'];

export const messageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string().optional(),
    /** Deterministic long input: `text` repeated `times` times, appended to content. */
    repeat: z.object({ text: z.string().min(1), times: z.number().int().min(1).max(1_000_000) }).strict().optional(),
  })
  .strict()
  .refine((m) => m.content !== undefined || m.repeat !== undefined, { message: 'a message needs content or repeat' });
export type SuiteMessage = z.infer<typeof messageSchema>;

const tagSchema = z.string().superRefine((t, ctx) => {
  const problem = checkTag(t);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const caseSchema = z
  .object({
    id: slug,
    description: z.string().optional(),
    tags: z.array(tagSchema).default([]),
    class: z.enum(EVAL_CASE_CLASSES).optional(),
    messages: z.array(messageSchema).min(1),
    reference: z.string().min(1).optional(),
    maxTokens: z.number().int().positive().optional(),
    assertions: z.array(assertionSchema).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.assertions.forEach((a, i) => {
      if (a.kind === 'llm_judge' && a.mode === 'faithfulness' && !c.reference) {
        ctx.addIssue({ code: 'custom', path: ['assertions', i, 'mode'], message: 'faithfulness needs the case to have a reference' });
      }
    });
  });
export type SuiteCase = z.infer<typeof caseSchema>;

export const defaultsSchema = z
  .object({
    temperature: z.number().min(0).max(2).default(0),
    maxTokens: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** Registry name of the judge model for llm_judge assertions. */
    judge: z.string().min(1).optional(),
    /** Assertions added to every case. */
    assertions: z.array(assertionSchema).default([]),
  })
  .strict();

export const suiteHeaderSchema = z
  .object({
    id: slug,
    name: z.string().min(1),
    kind: z.enum(EVAL_SUITE_KINDS),
    description: z.string().optional(),
    systemPrompt: z.string().min(1).optional(),
    /** A secret placed into the system prompt: any output containing it fails. */
    canary: z.string().min(8).optional(),
    defaults: defaultsSchema.default({ temperature: 0, assertions: [] }),
  })
  .strict();

export const suiteSchema = suiteHeaderSchema
  .extend({ cases: z.array(caseSchema).min(1) })
  .strict()
  .superRefine((s, ctx) => {
    if (s.canary && !s.systemPrompt) ctx.addIssue({ code: 'custom', path: ['canary'], message: 'a canary needs a systemPrompt to hide it in' });
    const seen = new Set<string>();
    s.cases.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `duplicate case id "${c.id}"` });
      seen.add(c.id);
    });
  });
export type Suite = z.infer<typeof suiteSchema>;

const rate = z.number().min(0).max(1);
export const thresholdsSchema = z
  .object({
    minPassRate: rate,
    maxHallucinationRate: rate.optional(),
    minInjectionResistance: rate.optional(),
    regressionTolerance: rate.default(0.05),
    openIncident: z.object({ category: z.string().min(1), severity: z.enum(SEVERITIES) }).strict().nullable().default(null),
    gate: z.object({ maxAgeDays: z.number().int().positive() }).strict(),
    /** Scheduled runs (scheduler job 'scheduled-evals'); absent: on demand only. */
    evalSchedule: z.object({ everyDays: z.number().int().positive().max(366) }).strict().optional(),
  })
  .strict();
export const thresholdsFileSchema = z.object({ suites: z.record(z.string(), thresholdsSchema) }).strict();
