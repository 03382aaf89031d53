/**
 * When a use case is next due for review. Pure date logic:
 * - from the last completed review, if there is one;
 * - else from the day the use case was proposed (its first stage entry, else createdAt),
 * plus the cadence of its risk tier. Prohibited use cases have no cadence (never reviewed:
 * they must not run), so the answer is null.
 */
import type { CadenceDef } from '../policy';
import type { RiskTier, UseCase } from '../types';

const DAY_MS = 86_400_000;

export function cadenceFor(tier: RiskTier, cadences: CadenceDef[]): CadenceDef | null {
  if (tier === 'prohibited') return null;
  return cadences.find((c) => c.tier === tier) ?? null;
}

export function proposedAt(useCase: Pick<UseCase, 'stageHistory' | 'createdAt'>): Date {
  const first = useCase.stageHistory.find((h) => h.from === null) ?? useCase.stageHistory[0];
  return first ? new Date(first.at) : new Date(useCase.createdAt);
}

export function nextReviewDue(
  useCase: Pick<UseCase, 'tier' | 'stageHistory' | 'createdAt'>,
  lastCompletedAt: Date | null | undefined,
  cadences: CadenceDef[],
): Date | null {
  const cadence = cadenceFor(useCase.tier, cadences);
  if (!cadence) return null;
  const from = lastCompletedAt ?? proposedAt(useCase);
  return new Date(from.getTime() + cadence.everyDays * DAY_MS);
}
