/**
 * AI Governance & Legal refuses the lower tier a use case is waiting for (a re-answer that would
 * lower it, or an Art. 6(3) derogation): the held tier stays, the pending one is dropped, and the
 * reason is recorded in the use case's history (`usecase.tier_signoff_rejected`).
 */
import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { hasRole, parseInput, requireActor } from '../people/actor';
import { updateRecord } from '../records/updateRecord';
import { LEGAL_ROLE } from './confirmTier';
import { useCaseKey } from './getUseCase';
import { useCaseNotFound } from './lifecycle';

export const rejectTierInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  reason: z.string().trim().min(5, 'reason: say why the lower tier is refused (at least 5 characters)').max(2000),
});
export type RejectTierInput = z.input<typeof rejectTierInput>;

/** The reason line decideTier adds while a lower tier waits; dropped once it is decided. */
const WAITING = 'A lower tier (';

export async function rejectTier(ctx: DomainContext, raw: RejectTierInput): Promise<UseCase> {
  const input = parseInput(rejectTierInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  if (!hasRole(actor, LEGAL_ROLE)) throw new ForbiddenError('usecase.tier_signoff_forbidden', 'Only AI Governance & Legal can decide on a lower risk tier.');
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.key, (uc) => {
    const pending = uc.legal?.pending;
    if (!pending || !uc.legal) throw new ConflictError('usecase.no_pending_tier', `${uc.key} has no lower tier waiting for sign-off.`);
    const now = ctx.clock.now();
    const { pending: _dropped, ...legal } = uc.legal;
    return {
      record: {
        ...uc,
        tierReasons: [...uc.tierReasons.filter((r) => !r.startsWith(WAITING)), `Lower tier (${pending.tier}) refused by AI Governance & Legal on ${now.toISOString().slice(0, 10)}: ${input.reason}`],
        legal,
        updatedAt: now,
      },
      change: {
        at: now,
        actorId: actor.id,
        action: 'usecase.tier_signoff_rejected',
        data: { tierHeld: uc.tier, tierRefused: pending.tier, legalBasis: pending.legalBasis, riskVersion: pending.riskVersion ?? null, reason: input.reason },
        events: [{ type: 'usecase.tier_changed' as const, at: now, actorId: actor.id, useCaseKey: uc.key }],
      },
    };
  }, useCaseNotFound(input.key));
  return record;
}
