import type { DomainContext } from '../ports';
import { DAY_MS } from './dates';

/** The chat channels whose retry claims expire; Slack and Teams retry within minutes. */
export const RETRY_CLAIM_CHANNELS = ['slack', 'teams'];

/**
 * Deletes chat retry claims older than `olderThanDays` (default 7), so the claims collection does
 * not grow with every click for ever. Returns how many were deleted.
 */
export async function pruneRetryClaims(ctx: Pick<DomainContext, 'repos' | 'clock'>, opts: { olderThanDays?: number } = {}): Promise<number> {
  const days = opts.olderThanDays ?? 7;
  return ctx.repos.claims.pruneChannelClaims(RETRY_CLAIM_CHANNELS, new Date(ctx.clock.now().getTime() - days * DAY_MS));
}
