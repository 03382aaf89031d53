/**
 * When a use case is next due for review. Pure date logic:
 * - from the later of the last completed review and go-live (first entry into production):
 *   a periodic review is of a system in use, so the first one counts from go-live (issue 13);
 * - before go-live and without a review, from the day the use case was proposed,
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

/** When the use case first went into production, if it has. */
export function goLiveAt(useCase: Pick<UseCase, 'stageHistory'>): Date | undefined {
  const live = useCase.stageHistory.find((h) => h.to === 'production');
  return live ? new Date(live.at) : undefined;
}

/** The latest of the given moments (undefined ones ignored). */
export function latestOf(...dates: (Date | null | undefined)[]): Date | undefined {
  const known = dates.filter((d): d is Date => d instanceof Date);
  return known.length ? new Date(Math.max(...known.map((d) => d.getTime()))) : undefined;
}

export function nextReviewDue(
  useCase: Pick<UseCase, 'tier' | 'stageHistory' | 'createdAt'>,
  lastCompletedAt: Date | null | undefined,
  cadences: CadenceDef[],
): Date | null {
  const cadence = cadenceFor(useCase.tier, cadences);
  if (!cadence) return null;
  const from = latestOf(lastCompletedAt, goLiveAt(useCase)) ?? proposedAt(useCase);
  return new Date(from.getTime() + cadence.everyDays * DAY_MS);
}
