/**
 * The evidence commands (`evidence pack UC-n`, `evidence soa`, …): names, zod schemas and the
 * parser, joined into the one command union in schema.ts. `evidence UC-n <control> <link>`
 * (attach evidence) stays in parseUseCases.ts: a use case key second means that one.
 */
import { z } from 'zod';
import { keyFrom } from './aliases';
import { isoDay } from './incidentCommands';
import { failure, type Candidate, type Step } from './steps';

export const EVIDENCE_COMMAND_NAMES = ['evidence_pack', 'evidence_soa', 'evidence_soa_set', 'evidence_fria', 'evidence_register', 'evidence_monitor', 'evidence_conformity'] as const;
export const EVIDENCE_SUBCOMMANDS = ['pack', 'soa', 'fria', 'register', 'monitor', 'conformity'] as const;
/** `evidence conformity UC-n <part> …`: the route words people type, mapped to the record's ids. */
export const CONFORMITY_PARTS = ['route', 'declaration', 'ce'] as const;
const ROUTE_WORDS: Record<string, string> = { 'annex-vi': 'annex_vi_internal_control', 'annex-vii': 'annex_vii_notified_body' };

const base = { ok: z.literal(true) };
const useCaseKey = z.string({ error: 'expected a use case id like UC-3' }).regex(/^UC-\d+$/, 'expected a use case id like UC-3');

export const evidenceSchemas = [
  z.object({ ...base, name: z.literal('evidence_pack'), useCaseKey }),
  z.object({ ...base, name: z.literal('evidence_soa') }),
  z.object({
    ...base,
    name: z.literal('evidence_soa_set'),
    controlId: z.string().regex(/^A\.\d+(\.\d+){1,2}$/, 'expected an ISO/IEC 42001 Annex A control id like A.6.2.6'),
    applicable: z.boolean({ error: 'expected yes or no after the control id' }),
    justification: z.string({ error: 'a justification is required' }).trim().min(3, 'a justification is required').max(1000, 'expected a justification of at most 1000 characters'),
  }),
  z.object({ ...base, name: z.literal('evidence_fria'), useCaseKey }),
  z.object({
    ...base,
    name: z.literal('evidence_register'),
    useCaseKey,
    registrationId: z.string({ error: 'expected the EU database registration id' }).trim().min(1, 'expected the EU database registration id').max(100, 'expected a registration id of at most 100 characters').regex(/^[\w./-]+$/, 'expected a registration id of letters, digits, dots, slashes and dashes'),
    registeredOn: isoDay,
  }),
  z.object({ ...base, name: z.literal('evidence_monitor'), useCaseKey }),
  z
    .object({
      ...base,
      name: z.literal('evidence_conformity'),
      useCaseKey,
      part: z.enum(CONFORMITY_PARTS, { error: 'expected route, declaration or ce after the use case' }),
      route: z.enum(['annex_vi_internal_control', 'annex_vii_notified_body'], { error: 'expected the route annex-vi (internal control) or annex-vii (notified body)' }).optional(),
      declarationRef: z.string().trim().min(1).max(200, 'expected a declaration reference of at most 200 characters').regex(/^[\w./#:-]+$/, 'expected a declaration reference of letters, digits and . / # : - _').optional(),
      day: isoDay.optional(),
    })
    .superRefine((c, z_) => {
      if (c.part === 'route' && !c.route) z_.addIssue({ code: 'custom', path: ['route'], message: 'expected the route annex-vi (internal control) or annex-vii (notified body)' });
      if (c.part === 'declaration' && !c.declarationRef) z_.addIssue({ code: 'custom', path: ['declarationRef'], message: 'expected the reference of the EU declaration of conformity' });
      if (c.part !== 'route' && !c.day) z_.addIssue({ code: 'custom', path: ['day'], message: 'expected the date as YYYY-MM-DD' });
    }),
] as const;

/** `evidence <subcommand> …`; undefined when the second word is not a subcommand (attach evidence). */
export function parseEvidenceCommand(words: string[]): Step | undefined {
  const sub = words[1]?.toLowerCase();
  if (!sub || !(EVIDENCE_SUBCOMMANDS as readonly string[]).includes(sub)) return undefined;
  const key = keyFrom('UC', words[2]) ?? words[2];
  const name = `evidence_${sub === 'soa' ? 'soa' : sub}` as (typeof EVIDENCE_COMMAND_NAMES)[number];
  const extra = (n: number): Step | undefined => (words.length > n ? failure(`Unexpected "${words.slice(n).join(' ')}" after evidence ${sub}.`, name) : undefined);
  switch (sub) {
    case 'pack':
      return extra(3) ?? ({ name: 'evidence_pack', useCaseKey: key } as Candidate);
    case 'fria':
      return extra(3) ?? ({ name: 'evidence_fria', useCaseKey: key } as Candidate);
    case 'monitor':
      return extra(3) ?? ({ name: 'evidence_monitor', useCaseKey: key } as Candidate);
    case 'register':
      return extra(5) ?? ({ name: 'evidence_register', useCaseKey: key, registrationId: words[3], registeredOn: words[4] } as Candidate);
    case 'conformity': {
      const part = words[3]?.toLowerCase();
      if (part === 'route') return extra(5) ?? ({ name: 'evidence_conformity', useCaseKey: key, part, route: ROUTE_WORDS[words[4]?.toLowerCase() ?? ''] ?? words[4] } as Candidate);
      if (part === 'declaration') return extra(6) ?? ({ name: 'evidence_conformity', useCaseKey: key, part, declarationRef: words[4], day: words[5] } as Candidate);
      if (part === 'ce') return extra(5) ?? ({ name: 'evidence_conformity', useCaseKey: key, part, day: words[4] } as Candidate);
      return { name: 'evidence_conformity', useCaseKey: key, part } as Candidate;
    }
    case 'soa': {
      if (words.length === 2) return { name: 'evidence_soa' } as Candidate;
      const yn = words[3]?.toLowerCase();
      const applicable = yn === 'yes' || yn === 'applicable' ? true : yn === 'no' || yn === 'excluded' ? false : undefined;
      return { name: 'evidence_soa_set', controlId: words[2]?.toUpperCase(), applicable, justification: words.slice(4).join(' ') } as Candidate;
    }
  }
  return undefined;
}
