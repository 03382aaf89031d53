/**
 * The one place the Slack channel meets the neutral card renderers. They are pure functions
 * (src/conversation/render); they are passed in so the channel can be built and tested before
 * or without a particular renderer, and so a test can check exactly what reached Slack.
 */
import type { Card } from '../../conversation/cards/model';
import { cardToBlockKit, cardToBlockKitMessages } from '../../conversation/render/blockKit';
import { escapeMrkdwn } from '../../conversation/render/slackLimits';
import { cardToSlackModal } from '../../conversation/render/slackModal';

export type SlackBlock = Record<string, unknown>;
export type SlackView = Record<string, unknown>;

export interface SlackMessage {
  blocks: SlackBlock[];
  text: string;
}

/** Slack refuses a message of more than 50 blocks. */
export const MAX_MESSAGE_BLOCKS = 50;

export interface SlackRenderers {
  /** Card -> Block Kit blocks of its first message, for the App Home (cardToBlockKit). */
  blocks(card: Card): SlackBlock[];
  /** Card -> every message needed to show it, each within 50 blocks (cardToBlockKitMessages). */
  messages(card: Card): SlackMessage[];
  /** Card with a form -> a modal view (cardToSlackModal): callback_id = form id. */
  modal(card: Card): SlackView;
}

/** The product's renderers (src/conversation/render). */
export const defaultSlackRenderers: SlackRenderers = {
  blocks: (card) => cardToBlockKit(card).blocks,
  messages: (card) => cardToBlockKitMessages(card),
  modal: (card) => cardToSlackModal(card) as unknown as SlackView,
};

/**
 * Notification and accessibility fallback: Slack shows `text` where blocks cannot be shown and
 * parses it as mrkdwn, so user text in it is escaped (exactly once: cut first, then escaped).
 */
export function cardText(card: Card): string {
  const parts = [card.title, card.subtitle, card.text].filter((p): p is string => Boolean(p));
  return escapeMrkdwn(parts.join(' — ').slice(0, 3000)) || 'Steward';
}

/**
 * Several cards in one message or Home view. Slack refuses a view whose block_ids repeat, and
 * each card numbers its own blocks from 1, so the second and later cards get a suffix.
 */
export function joinCardBlocks(r: SlackRenderers, cards: Card[]): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  cards.forEach((card, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    for (const b of r.blocks(card)) {
      blocks.push(i > 0 && typeof b.block_id === 'string' ? { ...b, block_id: `${b.block_id}.c${i}`.slice(0, 255) } : b);
    }
  });
  return blocks;
}

/**
 * The messages that show the cards: short cards share a message (as joinCardBlocks), and a card
 * too long for one message is posted whole as its continuation messages, never cut.
 */
export function renderMessages(r: SlackRenderers, cards: Card[]): SlackMessage[] {
  const out: SlackMessage[] = [];
  let group: Card[] = [];
  let groupBlocks = 0;
  let only: SlackMessage | undefined; // the rendered message of a group of one card
  const flush = () => {
    // A card alone is sent as rendered already; rendering it again to join it cost as much again.
    if (group.length === 1 && only) out.push({ blocks: only.blocks, text: cardText(group[0]!) });
    else if (group.length) out.push({ blocks: joinCardBlocks(r, group), text: group.map(cardText).join('\n') });
    group = [];
    groupBlocks = 0;
    only = undefined;
  };
  for (const card of cards) {
    const parts = r.messages(card);
    if (parts.length > 1) {
      flush();
      out.push(...parts);
      continue;
    }
    const size = parts[0]?.blocks.length ?? 0;
    // A divider separates cards in one message.
    if (group.length && groupBlocks + 1 + size > MAX_MESSAGE_BLOCKS) flush();
    groupBlocks += (group.length ? 1 : 0) + size;
    only = group.length === 0 ? parts[0] : undefined;
    group.push(card);
  }
  flush();
  return out.length ? out : [{ blocks: [], text: 'Steward' }];
}

/**
 * One message, for the places that replace a single message (chat.update, replace_original):
 * the first of renderMessages. Cards shown that way (decided approvals) are short.
 */
export function renderCards(r: SlackRenderers, cards: Card[]): SlackMessage {
  return renderMessages(r, cards)[0]!;
}

/**
 * A plain notice for the channel's own situations (unknown user, something broke). Its text may
 * quote what a person typed (form errors), so it is escaped; `code` formatting still shows.
 */
export function noticeBlocks(text: string): { blocks: SlackBlock[]; text: string } {
  const safe = escapeMrkdwn(text);
  return { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: safe } }], text: safe };
}
