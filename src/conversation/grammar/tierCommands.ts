/**
 * `tier UC-n confirm [<assessment link> <summary…>]` and `tier UC-n reject <reason…>`: AI
 * Governance & Legal's sign-off (or refusal) of a lower tier waiting on a use case, including an
 * Art. 6(3) derogation with its Art. 6(4) assessment. Names, zod schemas and the parser, joined
 * into the one command union in schema.ts.
 */
import { z } from 'zod';
import { keyFrom } from './aliases';
import { failure, join, type Step } from './steps';

export const TIER_COMMAND_NAMES = ['tier_confirm', 'tier_reject'] as const;

const base = { ok: z.literal(true) };
const useCaseKey = z.string({ error: 'expected a use case id like UC-3' }).regex(/^UC-\d+$/, 'expected a use case id like UC-3');

export const tierSchemas = [
  z.object({
    ...base,
    name: z.literal('tier_confirm'),
    useCaseKey,
    assessmentUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) link to the documented Art. 6(4) assessment' }).optional(),
    assessmentSummary: z.string().trim().min(10, 'expected a summary of the assessment of at least 10 characters after the link').max(2000, 'expected a summary of at most 2000 characters').optional(),
  }).refine((c) => !c.assessmentUrl === !c.assessmentSummary, { path: ['assessmentSummary'], message: 'expected a summary of the assessment after the link' }),
  z.object({
    ...base,
    name: z.literal('tier_reject'),
    useCaseKey,
    reason: z.string({ error: 'a reason is required' }).trim().min(5, 'a reason is required (at least 5 characters)').max(2000, 'expected a reason of at most 2000 characters'),
  }),
] as const;

/** Words of `tier UC-n confirm|reject …`. */
export function parseTierCommand(words: string[]): Step {
  const useCaseKey = keyFrom('UC', words[1]) ?? words[1];
  const verb = words[2]?.toLowerCase();
  if (verb === 'confirm' || verb === 'approve') {
    const link = words[3];
    return { name: 'tier_confirm', useCaseKey, ...(link ? { assessmentUrl: link, assessmentSummary: join(words, 4) } : {}) };
  }
  if (verb === 'reject' || verb === 'refuse') return { name: 'tier_reject', useCaseKey, reason: join(words, 3) };
  return failure(`Say "tier ${words[1] ?? 'UC-n'} confirm [<assessment link> <summary>]" or "tier ${words[1] ?? 'UC-n'} reject <reason>".`, 'tier_confirm');
}
