import type { DomainContext } from '../ports';
import { SYSTEM_ACTOR } from '../people/actor';
import { closeApproval } from './closeApproval';

/**
 * Expires every pending approval past its expiresAt (the scheduler calls this). Goes through
 * the same exactly-once decision as votes, so a last-second vote and the job never both win.
 * Returns the keys this call expired.
 */
export async function expireApprovals(ctx: DomainContext, input: { actorId?: string } = {}): Promise<string[]> {
  const now = ctx.clock.now().getTime();
  const pending = await ctx.repos.approvals.list({ status: 'pending' });
  const expired: string[] = [];
  for (const a of pending) {
    if (now <= a.expiresAt.getTime()) continue;
    const closed = await closeApproval(ctx, a, {
      status: 'expired',
      by: input.actorId ?? SYSTEM_ACTOR,
      reasons: [`no decision by ${a.expiresAt.toISOString().slice(0, 10)}`],
    });
    if (closed) expired.push(a.key);
  }
  return expired;
}
