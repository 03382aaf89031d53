/**
 * The steps every listener shares once it has acknowledged Slack: run the interaction for a
 * known person without ever throwing, and carry `Reply.updated` to every stored copy of the
 * message it replaces (approval requests go to each approver: all copies get the decision).
 */
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import type { Card } from '../../conversation/cards/model';
import type { Interaction, Reply } from '../../conversation/handlers/types';
import { isDomainError } from '../../domain/errors';
import type { Person } from '../../domain/types';
import type { SlackDeps } from './deps';
import { renderCards } from './render';

export const UNKNOWN_USER_TEXT =
  "I don't know you yet, so I did nothing. Ask an AI CoE admin to register you in Steward with the email address of your Slack profile (or to link your Slack account); then try again.";

export const APOLOGY: Card = {
  title: 'Something went wrong on our side',
  text: 'Nothing was changed. The problem was logged; please try again in a minute.',
  badge: { label: 'error', tone: 'danger' },
};

/** Conversation.handle never throws for user mistakes; anything else becomes an apology card. */
export async function handleSafely(deps: SlackDeps, actor: Person, interaction: Interaction): Promise<Reply> {
  try {
    return await deps.conversation.handle(actor, interaction);
  } catch (e) {
    if (isDomainError(e)) return { cards: [{ title: 'Not done', text: e.message, badge: { label: e.code, tone: 'warning' } }] };
    deps.logger.error({ err: e, kind: interaction.kind }, 'slack interaction failed');
    return { cards: [APOLOGY] };
  }
}

const KEY = /\b(?:APR|INC|UC)-\d+\b/gi;

/** The keys (APR-3, INC-7, UC-1) found in texts, upper-cased, once each. */
export function keysIn(...texts: Array<string | undefined>): string[] {
  const found = new Set<string>();
  for (const t of texts) for (const m of t?.match(KEY) ?? []) found.add(m.toUpperCase());
  return [...found];
}

/**
 * The approvals an interaction decides on (in a button value, a form's hidden values or a typed
 * command): only approval messages are edited in place when a reply carries `updated`.
 */
export function approvalKeysOf(i: Interaction): string[] {
  const texts = i.kind === 'command' ? [i.text] : i.kind === 'action' ? [i.value] : Object.values(i.hidden);
  return keysIn(...texts).filter((k) => k.startsWith('APR-'));
}

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
