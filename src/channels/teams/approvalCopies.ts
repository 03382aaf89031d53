/**
 * The Teams side of keeping approval copies right (src/notifications/approvalCopies.ts): the
 * copies are the activities the notifier sent about the approval (each approver's personal
 * chat, the governance channel's post), edited with updateActivity through the rate limiter.
 */
import { refreshApprovalCopies, type CopyChannel } from '../../notifications/approvalCopies';
import type { TeamsDeps } from './deps';
import { updateStoredActivity } from './interact';

export function teamsCopyChannel(deps: TeamsDeps): CopyChannel {
  return {
    name: 'teams',
    async copiesOf(approvalKey) {
      return (await deps.refs.messagesAbout(approvalKey)).map((ref) => ({ key: ref.key, id: ref.activityId }));
    },
    async update(copy, card) {
      const ref = await deps.refs.getMessage(copy.key);
      if (ref) await updateStoredActivity(deps, ref, card);
    },
  };
}

/** Subscribes the Teams copies to the approval events; returns the unsubscribe function. */
export function keepTeamsCopiesRight(deps: TeamsDeps): () => void {
  const refresh = refreshApprovalCopies(deps.ctx, teamsCopyChannel(deps), {
    claims: deps.ctx.repos.claims,
    onError: (err, approvalKey) => deps.logger.warn({ err, approvalKey }, 'could not update a Teams copy of an approval'),
  });
  return deps.ctx.events.on(async (event) => {
    await refresh(event);
  });
}
