/**
 * Turns a classification into the tier a use case holds. A tier never goes down silently:
 * a lower tier from re-answering, and any tier resting on the Art. 6(3) derogation, waits as
 * `legal.pending` until AI Governance & Legal signs it off (confirmTier), the derogation also
 * needing the documented Art. 6(4) assessment. Pure.
 */
import type { RiskTier, TierDecision, UseCase, UseCaseLegal } from '../types';
import type { RiskClassification } from './classifyRisk';

export const TIER_RANK: Record<RiskTier, number> = { minimal: 0, transparency: 1, high: 2, prohibited: 3 };

export interface HeldTier {
  tier: RiskTier;
  tierReasons: string[];
  legal: UseCaseLegal;
}

export function decideTier(
  current: Pick<UseCase, 'tier' | 'tierReasons' | 'legal'> | undefined,
  c: RiskClassification,
  meta: { by: string; at: Date; riskVersion?: string },
): HeldTier {
  const decision: TierDecision = {
    tier: c.tier,
    legalBasis: c.legalBasis,
    reasons: c.reasons,
    art50: c.art50.filter((d) => !d.exemptBecause).map((d) => ({ ref: d.ref, party: d.party })),
    ...(meta.riskVersion ? { riskVersion: meta.riskVersion } : {}),
    at: meta.at,
    by: meta.by,
  };
  const assessment = current?.legal?.art6Assessment;
  const keep = assessment ? { art6Assessment: assessment } : {};
  const needs: ('legal_signoff' | 'art6_4_assessment')[] = [];
  const lowering = current !== undefined && TIER_RANK[c.tier] < TIER_RANK[current.tier];
  if (c.derogation || lowering) needs.push('legal_signoff');
  if (c.derogation && !assessment) needs.push('art6_4_assessment');
  if (!needs.length) return { tier: c.tier, tierReasons: c.reasons, legal: { decision, ...keep } };

  // Held: the higher of the current tier and, under a derogation, high.
  const held: RiskTier = c.derogation ? maxTier(current?.tier ?? 'high', 'high') : current!.tier;
  const waiting = `A lower tier (${c.tier}) waits for AI Governance & Legal sign-off${needs.includes('art6_4_assessment') ? ' and the documented Art. 6(4) assessment' : ''}: ${c.reasons.join('; ')}`;
  const heldReasons =
    current && current.tier === held
      ? current.tierReasons.filter((r) => !r.startsWith('A lower tier ('))
      : [`High-risk until the Art. 6(3) derogation is signed off: ${c.annexIII.join(', ')} (Art. 6(2))`];
  const heldDecision: TierDecision = current?.legal?.decision ?? { ...decision, tier: held, reasons: heldReasons, legalBasis: ['Art. 6(2)', ...c.annexIII] };
  return {
    tier: held,
    tierReasons: [...heldReasons, waiting],
    legal: { decision: heldDecision, pending: { ...decision, needs, from: held }, ...keep },
  };
}

const maxTier = (a: RiskTier, b: RiskTier): RiskTier => (TIER_RANK[a] >= TIER_RANK[b] ? a : b);
