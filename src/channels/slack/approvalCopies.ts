/**
 * The Slack side of keeping approval copies right (src/notifications/approvalCopies.ts): the
 * copies are the messages the notifier posted about the approval (each approver's DM, the
 * governance channel's post), edited with chat.update.
 */
import type { webApi } from '@slack/bolt';
import { refreshApprovalCopies, type CopyChannel } from '../../notifications/approvalCopies';
import type { SlackDeps } from './deps';
import { renderCards } from './render';

type WebClient = webApi.WebClient;

/** The id the clicked message is matched by: `<channel>:<ts>`. */
export const slackCopyId = (channel: string, ts: string): string => `${channel}:${ts}`;

export function slackCopyChannel(deps: Pick<SlackDeps, 'messages' | 'renderers'>, client: WebClient): CopyChannel {
  return {
    name: 'slack',
    async copiesOf(approvalKey) {
      return (await deps.messages.listBySubject(approvalKey)).map((ref) => ({ key: ref.key, id: slackCopyId(ref.channel, ref.ts) }));
    },
    async update(copy, card) {
      const at = copy.id.lastIndexOf(':');
      await client.chat.update({ channel: copy.id.slice(0, at), ts: copy.id.slice(at + 1), ...renderCards(deps.renderers, [card]) } as never);
    },
  };
}

/** Subscribes the Slack copies to the approval events; returns the unsubscribe function. */
export function keepSlackCopiesRight(deps: Pick<SlackDeps, 'ctx' | 'messages' | 'renderers' | 'logger'>, client: WebClient): () => void {
  const refresh = refreshApprovalCopies(deps.ctx, slackCopyChannel(deps, client), {
    claims: deps.ctx.repos.claims,
    onError: (err, approvalKey) => deps.logger.warn({ err, approvalKey }, 'could not update a Slack copy of an approval'),
  });
  return deps.ctx.events.on(async (event) => {
    await refresh(event);
  });
}
