/**
 * After an approval is decided — by a vote in any channel, or by expiry — every copy of its
 * request card that a chat channel posted is re-rendered as decided, with no live buttons.
 * The channel that received the deciding vote updates its own copy too; editing it twice is
 * harmless, and an approver on another channel must not be left with stale buttons.
 */
import { approvalCard } from '../conversation/cards/approval';
import { indexPeople } from '../conversation/cards/format';
import type { Card } from '../conversation/cards/model';
import type { DomainEvent } from '../domain/events';
import type { DomainContext } from '../domain/ports';

/** Edits every stored message of one channel about a subject (e.g. APR-3); returns how many. */
export type CardUpdater = (subject: string, card: Card) => Promise<number>;

export function refreshDecidedCards(
  ctx: DomainContext,
  update: CardUpdater,
  onError: (err: unknown, approvalKey: string) => void = () => undefined,
): (event: DomainEvent) => Promise<void> {
  return async (event) => {
    if (event.type !== 'approval.decided') return;
    try {
      const approval = await ctx.repos.approvals.get(event.approvalKey);
      if (!approval) return;
      const [useCase, people] = await Promise.all([ctx.repos.useCases.get(approval.useCaseKey), ctx.repos.people.list()]);
      const card = approvalCard({ approval, policy: ctx.policy, people: indexPeople(people), now: ctx.clock.now(), ...(useCase ? { useCase } : {}) });
      await update(approval.key, card);
    } catch (err) {
      onError(err, event.approvalKey);
    }
  };
}
