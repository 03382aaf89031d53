/**
 * The one place the Slack channel meets the neutral card renderers. They are pure functions
 * (src/conversation/render); they are passed in so the channel can be built and tested before
 * or without a particular renderer, and so a test can check exactly what reached Slack.
 */
import type { Card } from '../../conversation/cards/model';
import { cardToBlockKit } from '../../conversation/render/blockKit';
import { cardToSlackModal } from '../../conversation/render/slackModal';

export type SlackBlock = Record<string, unknown>;
export type SlackView = Record<string, unknown>;

export interface SlackRenderers {
  /** Card -> Block Kit blocks for a message or the App Home (cardToBlockKit). */
  blocks(card: Card): SlackBlock[];
  /** Card with a form -> a modal view (cardToSlackModal): callback_id = form id. */
  modal(card: Card): SlackView;
}

/** The product's renderers (src/conversation/render). */
export const defaultSlackRenderers: SlackRenderers = {
  blocks: (card) => cardToBlockKit(card).blocks,
  modal: (card) => cardToSlackModal(card) as unknown as SlackView,
};

/** Notification and accessibility fallback: Slack shows `text` where blocks cannot be shown. */
export function cardText(card: Card): string {
  const parts = [card.title, card.subtitle, card.text].filter((p): p is string => Boolean(p));
  return parts.join(' — ').slice(0, 3000) || 'Steward';
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

export function renderCards(r: SlackRenderers, cards: Card[]): { blocks: SlackBlock[]; text: string } {
  // A message holds at most 50 blocks: keep the first ones rather than fail the whole reply.
  return { blocks: joinCardBlocks(r, cards).slice(0, 50), text: cards.map(cardText).join('\n') || 'Steward' };
}

/** A plain notice for the channel's own situations (unknown user, something broke). */
export function noticeBlocks(text: string): { blocks: SlackBlock[]; text: string } {
  return { blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], text };
}
