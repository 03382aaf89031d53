/**
 * The shape of roles.yaml, raci.yaml, lifecycle.yaml and cadences.yaml. Checks that need
 * only one file live here; checks across files (does that role exist?) are in crossChecks.ts.
 */
import { z } from 'zod';
import { ALL_STAGES, RISK_TIERS, type RiskTier } from '../domain/types';
import type { ApproverRule } from '../domain/policy';
import { coversAll, positiveIntSchema, idSchema, roleListSchema, textSchema, uniqueBy } from './schemaKit';

export const rolesFileSchema = z.strictObject({
  roles: z
    .array(z.strictObject({ id: idSchema, name: textSchema, description: textSchema }))
    .min(1, 'define at least one role')
    .superRefine(uniqueBy((r) => r.id)),
});

/** One Accountable: a role id, or a list holding exactly one. */
const accountableSchema = z.union([idSchema, z.array(idSchema)]).transform((v, ctx) => {
  const list = Array.isArray(v) ? v : [v];
  if (list.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `expected exactly one role, got ${list.length}` });
    return z.NEVER;
  }
  return list[0]!;
});

export const raciFileSchema = z.strictObject({
  areas: z
    .array(
      z.strictObject({
        id: idSchema,
        name: textSchema,
        responsible: roleListSchema.min(1, 'name at least one Responsible role'),
        accountable: accountableSchema,
        consulted: roleListSchema.default([]),
        informed: roleListSchema.default([]),
      }),
    )
    .min(1, 'define at least one area')
    .superRefine(uniqueBy((a) => a.id)),
});

/** `[a, b]` is shorthand for `{ roles: [a, b] }` (every role must approve). */
const approverRuleSchema = z.preprocess(
  (v) => (Array.isArray(v) ? { roles: v } : v),
  z
    .strictObject({
      roles: roleListSchema.min(1, 'name at least one approver role'),
      quorum: z.number().int('expected a whole number').positive('expected a number above 0').optional(),
      mustInclude: roleListSchema.optional(),
    })
    .superRefine((rule, ctx) => {
      if (rule.quorum !== undefined && rule.quorum > rule.roles.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['quorum'],
          message: `quorum ${rule.quorum} is more than the ${rule.roles.length} role(s) listed`,
        });
      }
      const must = rule.mustInclude ?? [];
      must.forEach((r, i) => {
        if (!rule.roles.includes(r)) {
          ctx.addIssue({ code: 'custom', path: ['mustInclude', i], message: `role "${r}" is not one of this rule's roles (${rule.roles.join(', ')})` });
        }
      });
      // Each must-include role needs its own approver, so more of them than the quorum could never be met.
      const needed = rule.quorum ?? rule.roles.length;
      if (must.length > needed) {
        ctx.addIssue({
          code: 'custom',
          path: ['mustInclude'],
          message: `${must.length} must-include roles need more approvers than the quorum of ${needed}`,
        });
      }
    }),
);

const approversSchema = z
  .strictObject({
    prohibited: approverRuleSchema.optional(),
    high: approverRuleSchema.optional(),
    transparency: approverRuleSchema.optional(),
    minimal: approverRuleSchema.optional(),
  })
  .superRefine((a, ctx) => {
    const missing = RISK_TIERS.filter((t) => !a[t]);
    if (missing.length) {
      ctx.addIssue({
        code: 'custom',
        message: `missing risk tier ${missing.join(', ')} (every gate needs ${RISK_TIERS.join(', ')})`,
      });
    }
  })
  .transform((a) => a as Record<RiskTier, ApproverRule>);

const stageSchema = z.enum(ALL_STAGES);

export const lifecycleFileSchema = z.strictObject({
  stages: z
    .array(
      z.strictObject({
        id: stageSchema,
        name: textSchema,
        description: textSchema,
        stalledAfterDays: positiveIntSchema.optional(),
      }),
    )
    .superRefine(uniqueBy((s) => s.id))
    .superRefine(coversAll(ALL_STAGES, (s) => s.id, 'stage')),
  gates: z
    .array(
      z
        .strictObject({
          id: idSchema,
          from: stageSchema,
          to: stageSchema,
          name: textSchema,
          exitCriteria: z.array(textSchema).min(1, 'list at least one exit criterion'),
          approvers: approversSchema,
          expiresAfterDays: positiveIntSchema,
          requiresPassingEvalWithinDays: positiveIntSchema.optional(),
        })
        .superRefine((g, ctx) => {
          if (g.from === g.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a gate must lead to another stage' });
        }),
    )
    .min(1, 'define at least one gate')
    .superRefine(uniqueBy((g) => g.id)),
});

const CADENCE_TIERS = ['high', 'transparency', 'minimal'] as const;

export const cadencesFileSchema = z.strictObject({
  cadences: z
    .array(
      z.strictObject({
        tier: z.enum(CADENCE_TIERS),
        everyDays: positiveIntSchema,
        remindBeforeDays: z.array(z.number().int('expected a whole number').nonnegative('expected 0 or more')).default([]),
        escalateToAccountableAfterDays: positiveIntSchema,
        escalateToCoeAfterDays: positiveIntSchema,
        frameworks: z.array(textSchema).default([]),
      }),
    )
    .superRefine((list, ctx) =>
      list.forEach((c, i) => {
        if (c.escalateToCoeAfterDays <= c.escalateToAccountableAfterDays) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'escalateToCoeAfterDays'],
            message: 'must be later than escalateToAccountableAfterDays',
          });
        }
      }),
    )
    .superRefine(uniqueBy((c) => c.tier, 'tier'))
    .superRefine(coversAll(CADENCE_TIERS, (c) => c.tier, 'cadence for tier')),
});
