import type { DomainContext } from '../ports';
import { DAY_MS } from './dates';

/**
 * The claims that expire: chat retries (Slack and Teams retry within minutes) and the scheduler's
 * one-run-per-period claims (src/scheduler/runGuard.ts; a period is at most 10 minutes).
 */
export const RETRY_CLAIM_CHANNELS = ['slack', 'teams', 'scheduler'];

/**
 * Deletes chat retry claims older than `olderThanDays` (default 7), so the claims collection does
 * not grow with every click for ever. Returns how many were deleted.
 */
export async function pruneRetryClaims(ctx: Pick<DomainContext, 'repos' | 'clock'>, opts: { olderThanDays?: number } = {}): Promise<number> {
  const days = opts.olderThanDays ?? 7;
  return ctx.repos.claims.pruneChannelClaims(RETRY_CLAIM_CHANNELS, new Date(ctx.clock.now().getTime() - days * DAY_MS));
}
