/**
 * Slack resends a request it thinks went unanswered (X-Slack-Retry-Num), and people double-click.
 * Before any work, the interaction claims a key that identifies it (unique insert in `claims`);
 * a second request with the same key is acknowledged and ignored, so no second use case,
 * incident or vote is ever created.
 */
import type { DomainContext } from '../../domain/ports';

export const commandKey = (triggerId: string): string => `slack:command:${triggerId}`;

/** One click: the trigger id identifies it; action_ts stands in where Slack sends none. */
export const actionKey = (p: { triggerId?: string; actionTs?: string; actionId: string; userId: string }): string =>
  `slack:action:${p.triggerId ?? `${p.userId}:${p.actionTs ?? 'none'}`}:${p.actionId}`;

/** One submission of one state of a modal (the hash changes whenever the view is updated). */
export const viewKey = (viewId: string, hash: string | undefined): string => `slack:view:${viewId}:${hash ?? ''}`;

export function claimOnce(ctx: DomainContext, key: string): Promise<boolean> {
  return ctx.repos.claims.claim(key, { channel: 'slack' });
}

export function releaseClaim(ctx: DomainContext, key: string): Promise<void> {
  return ctx.repos.claims.release(key);
}
