import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { hasRole, parseInput, requireActor } from '../people/actor';
import { updateRecord } from '../records/updateRecord';
import { useCaseKey } from './getUseCase';
import { useCaseNotFound } from './lifecycle';
import { requiredControls } from './requiredControls';

/** The role that signs off a lower tier (playbooks/roles.yaml). */
export const LEGAL_ROLE = 'ai_governance_legal';

export const confirmTierInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  /** The provider's documented Art. 6(4) assessment, when the lower tier rests on Art. 6(3). */
  assessment: z
    .object({
      url: z.url({ protocol: /^https?$/, error: 'assessment: expected an http(s) link to the documented assessment' }),
      summary: z.string().trim().min(10, 'assessment: summarise the assessment in at least 10 characters').max(2000),
    })
    .optional(),
});
export type ConfirmTierInput = z.input<typeof confirmTierInput>;

/**
 * AI Governance & Legal signs off the lower tier a use case is waiting for. Refused for anyone
 * else, when nothing waits, and when an Art. 6(3) derogation has no Art. 6(4) assessment.
 */
export async function confirmTier(ctx: DomainContext, raw: ConfirmTierInput): Promise<UseCase> {
  const input = parseInput(confirmTierInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  if (!hasRole(actor, LEGAL_ROLE)) throw new ForbiddenError('usecase.tier_signoff_forbidden', 'Only AI Governance & Legal can sign off a lower risk tier.');
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.key, (uc) => {
    const pending = uc.legal?.pending;
    if (!pending) throw new ConflictError('usecase.no_pending_tier', `${uc.key} has no lower tier waiting for sign-off.`);
    const assessment = input.assessment ? { ...input.assessment, by: actor.id, at: ctx.clock.now() } : uc.legal?.art6Assessment;
    if (pending.needs.includes('art6_4_assessment') && !assessment) {
      throw new ValidationError('usecase.art6_4_missing', `${uc.key} relies on the Art. 6(3) derogation: record the Art. 6(4) assessment with the sign-off (assessment <link> <summary>).`);
    }
    const now = ctx.clock.now();
    const { needs: _needs, from, ...decision } = pending;
    const updated: UseCase = {
      ...uc,
      tier: pending.tier,
      tierReasons: [...pending.reasons, `Signed off by AI Governance & Legal on ${now.toISOString().slice(0, 10)}`],
      legal: { decision: { ...decision, at: now, by: actor.id }, ...(assessment ? { art6Assessment: assessment } : {}) },
      requiredControls: requiredControls(ctx.policy.controls, pending.tier, uc.dataClasses),
      updatedAt: now,
    };
    return {
      record: updated,
      change: {
        at: now,
        actorId: actor.id,
        action: 'usecase.tier_signed_off',
        data: { tierFrom: from, tierTo: pending.tier, legalBasis: pending.legalBasis, riskVersion: pending.riskVersion ?? null, ...(input.assessment ? { assessment: input.assessment.url } : {}) },
        events: [{ type: 'usecase.tier_changed' as const, at: now, actorId: actor.id, useCaseKey: uc.key }],
      },
    };
  }, useCaseNotFound(input.key));
  return record;
}
