/**
 * The Slack side of what every listener shares (the transport-free side is
 * conversation/handlers/safe.ts): the unknown-user text, and carrying `Reply.updated` to every
 * stored copy of the message it replaces (approval requests go to each approver: all copies
 * get the decision).
 */
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import type { Card } from '../../conversation/cards/model';
import { unknownUserText } from '../../conversation/handlers/safe';
import type { SlackDeps } from './deps';
import { renderCards } from './render';

/** Slack maps a person by the email of their Slack profile (users.info). */
export const UNKNOWN_USER_TEXT = unknownUserText('Slack profile');

/**
 * chat.update on every stored message about the subjects (the notifier recorded channel + ts
 * when it posted them), except one already updated by the caller.
 */
export async function updateStoredMessages(
  deps: SlackDeps,
  client: WebClient,
  subjects: string[],
  card: Card,
  skip?: { channel: string; ts: string },
): Promise<number> {
  const { blocks, text } = renderCards(deps.renderers, [card]);
  let updated = 0;
  const seen = new Set<string>();
  for (const subject of subjects) {
    for (const ref of await deps.messages.listBySubject(subject)) {
      const id = `${ref.channel}:${ref.ts}`;
      if (seen.has(id) || (skip && skip.channel === ref.channel && skip.ts === ref.ts)) continue;
      seen.add(id);
      try {
        await client.chat.update({ channel: ref.channel, ts: ref.ts, blocks: blocks as never, text });
        updated += 1;
      } catch (e) {
        deps.logger.warn({ err: e instanceof Error ? e.message : String(e), ref: id }, 'slack chat.update of a stored message failed');
      }
    }
  }
  return updated;
}
