/**
 * Keeps every copy of an approval request right for whoever holds it. Each approver got their
 * own copy (a DM in Slack, a personal chat in Teams); after every vote, and when the approval is
 * decided (by a vote, by expiry, by cancellation), each copy is redrawn for its recipient: the
 * shared progress everywhere, buttons gone only for those who voted, and for all once decided.
 *
 * Once per copy per state: before editing a copy, its channel claims
 * `approval-copy:<channel>:<copy key>@<approval rev>` (a unique insert), so the two events of a
 * deciding vote, a replay by the reaction sweep, or two processes never edit a copy twice for
 * the same state. The copy a person just clicked is left to the reply of that interaction
 * (Slack's chat.update of the clicked message, Teams' invoke response), which the channel marks
 * with `inPlaceCopy`: the claim is still taken, so nothing else edits it again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { copyAudience, loadApprovalView } from '../conversation/approvalView';
import type { Card } from '../conversation/cards/model';
import type { DomainEvent } from '../domain/events';
import type { ClaimRepository, DomainContext } from '../domain/ports';

/** One stored copy: its delivery key, and the channel's id of the message (to match the clicked one). */
export interface StoredCopy {
  key: string;
  id: string;
}

/** What a chat channel offers: find the copies about an approval, and edit one. */
export interface CopyChannel {
  name: 'slack' | 'teams';
  copiesOf(approvalKey: string): Promise<StoredCopy[]>;
  update(copy: StoredCopy, card: Card): Promise<void>;
}

const inPlace = new AsyncLocalStorage<{ channel: string; id: string }>();

/**
 * Runs an interaction whose reply replaces the message `id` itself (the message the person
 * clicked on); the refresh triggered inside it leaves that copy alone.
 */
export function inPlaceCopy<T>(channel: CopyChannel['name'], id: string | undefined, run: () => Promise<T>): Promise<T> {
  return id ? inPlace.run({ channel, id }, run) : run();
}

export const copyClaimKey = (channel: string, copyKey: string, rev: number): string => `approval-copy:${channel}:${copyKey}@${rev}`;

export interface RefreshOptions {
  claims: ClaimRepository;
  onError?: (err: unknown, approvalKey: string) => void;
}

/** The event subscriber: returns how many copies it edited (for tests and logs). */
export function refreshApprovalCopies(
  ctx: Pick<DomainContext, 'repos' | 'policy' | 'clock'>,
  channel: CopyChannel,
  { claims, onError = () => undefined }: RefreshOptions,
): (event: DomainEvent) => Promise<number> {
  return async (event) => {
    if (event.type !== 'approval.voted' && event.type !== 'approval.decided') return 0;
    let edited = 0;
    try {
      const approval = await ctx.repos.approvals.get(event.approvalKey);
      if (!approval) return 0;
      const copies = await channel.copiesOf(approval.key);
      if (!copies.length) return 0;
      const view = await loadApprovalView(ctx, approval);
      // Votes and status make the state when an older record carries no rev.
      const rev = approval.rev ?? approval.votes.length + (approval.status === 'pending' ? 0 : 1000);
      const here = inPlace.getStore();
      for (const copy of copies) {
        const claimKey = copyClaimKey(channel.name, copy.key, rev);
        if (!(await claims.claim(claimKey, { channel: channel.name }))) continue;
        if (here?.channel === channel.name && here.id === copy.id) continue;
        try {
          await channel.update(copy, view(copyAudience(copy.key, approval.key)));
          edited += 1;
        } catch (err) {
          // Not edited: a later refresh (the sweep, the next vote) may try again.
          await claims.release(claimKey).catch(() => undefined);
          onError(err, approval.key);
        }
      }
    } catch (err) {
      onError(err, event.approvalKey);
    }
    return edited;
  };
}
