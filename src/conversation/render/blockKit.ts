/**
 * Neutral card -> Slack Block Kit message(s). Pure. Limits are respected by construction:
 * long text is split over several sections, fields go ten to a section, buttons 25 to an
 * actions block, labels are clipped; a card that still needs more than 50 blocks continues
 * in further messages (cardToBlockKitMessages) rather than losing its tail.
 */
import { ACTIONS_BLOCK_ID, encodeValue, FORM_OPENERS, PAGINATION_BLOCK_ID } from '../actions';
import type { Badge, Button, Card, Field, Section } from '../cards/model';
import { paginationButtons, paginationLabel } from '../cards/model';
import { chunk, splitText, TONE_MARKS, truncate } from './text';
import { escapeMrkdwn, SLACK_ACTION_SUFFIX, SLACK_LIMITS as L } from './slackLimits';

export type SlackText = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
export type SlackBlock = { type: string; block_id?: string } & Record<string, unknown>;
export interface BlockKitMessage {
  /** Notification / accessibility fallback. */
  text: string;
  blocks: SlackBlock[];
}

const plain = (text: string, max: number): SlackText => ({ type: 'plain_text', text: truncate(text, max) || ' ', emoji: true });
const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });
const badgeText = (badge: Badge): string => `${TONE_MARKS[badge.tone]} *${escapeMrkdwn(badge.label)}*`;

export function slackButton(button: Button, actionId: string): Record<string, unknown> {
  const element: Record<string, unknown> = { type: 'button', text: plain(button.label, L.buttonText), action_id: truncate(actionId, L.actionId) };
  if (button.value) element.value = truncate(button.value, L.buttonValue);
  if (button.url) element.url = button.url;
  if (button.style) element.style = button.style;
  return element;
}

/** Actions blocks of at most 25 buttons, with action ids made unique inside each block. */
export function actionBlocks(buttons: readonly Button[], blockIdBase: string, counter: { n: number }): SlackBlock[] {
  return chunk(buttons, L.actionsElements).map((group) => {
    const seen = new Map<string, number>();
    const elements = group.map((b) => {
      const count = (seen.get(b.actionId) ?? 0) + 1;
      seen.set(b.actionId, count);
      return slackButton(b, count === 1 ? b.actionId : `${b.actionId}${SLACK_ACTION_SUFFIX}${count}`);
    });
    counter.n += 1;
    return { type: 'actions', block_id: truncate(`${blockIdBase}.${counter.n}`, L.blockId), elements };
  });
}

export function textSections(text: string): SlackBlock[] {
  return splitText(escapeMrkdwn(text), L.sectionText).map((t) => ({ type: 'section', text: mrkdwn(t || ' ') }));
}

export function fieldSections(fields: readonly Field[]): SlackBlock[] {
  return chunk(fields, L.sectionFields).map((group) => ({
    type: 'section',
    fields: group.map((f) => mrkdwn(truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value || '—')}`, L.fieldText))),
  }));
}

/** `escaped`: the text is mrkdwn built from escaped parts already (escaping twice shows "&amp;amp;"). */
function contextBlocks(text: string, escaped = false): SlackBlock[] {
  return chunk(splitText(escaped ? text : escapeMrkdwn(text), L.sectionText), L.contextElements).map((parts) => ({ type: 'context', elements: parts.map(mrkdwn) }));
}

function sectionBlocks(section: Section, counter: { n: number }): SlackBlock[] {
  const heading = [section.title ? `*${escapeMrkdwn(section.title)}*` : '', section.badge ? badgeText(section.badge) : ''].filter(Boolean).join('  ');
  const body = section.text ? escapeMrkdwn(section.text) : '';
  const blocks: SlackBlock[] = splitText([heading, body].filter(Boolean).join('\n'), L.sectionText)
    .filter((t) => t.length)
    .map((t) => ({ type: 'section', text: mrkdwn(t) }));
  if (section.fields?.length) blocks.push(...fieldSections(section.fields));
  const buttons = section.buttons ?? [];
  const last = blocks[blocks.length - 1];
  // One button beside the text (an accessory) keeps list items to one block each.
  if (buttons.length === 1 && last && last.type === 'section' && last.text && !section.fields?.length) {
    last.accessory = slackButton(buttons[0]!, buttons[0]!.actionId);
  } else if (buttons.length) {
    blocks.push(...actionBlocks(buttons, ACTIONS_BLOCK_ID, counter));
  }
  return blocks;
}

/** The whole card as one list of blocks, before splitting into messages. */
export function cardBlocks(card: Card): SlackBlock[] {
  const counter = { n: 0 };
  const blocks: SlackBlock[] = [{ type: 'header', text: plain(card.title, L.headerText) }];
  if (card.title.length > L.headerText) blocks.push(...textSections(card.title));
  const meta = [card.badge ? badgeText(card.badge) : '', card.subtitle ? escapeMrkdwn(card.subtitle) : ''].filter(Boolean).join('  ·  ');
  if (meta) blocks.push(...contextBlocks(meta, true));
  if (card.text) blocks.push(...textSections(card.text));
  if (card.fields?.length) blocks.push(...fieldSections(card.fields));
  for (const section of card.sections ?? []) {
    blocks.push({ type: 'divider' });
    blocks.push(...sectionBlocks(section, counter));
  }
  const buttons = [...(card.buttons ?? [])];
  if (card.form) {
    // Inputs live in a modal; in a message the card offers the button that opens it.
    const value = card.form.hidden.approvalKey ?? card.form.hidden.useCaseKey ?? '';
    buttons.unshift({ label: card.form.submitLabel, actionId: FORM_OPENERS[card.form.id], value: encodeValue(value), style: 'primary' });
  }
  if (buttons.length) blocks.push(...actionBlocks(buttons, ACTIONS_BLOCK_ID, counter));
  if (card.pagination && card.pagination.pages > 1) {
    blocks.push({ type: 'context', elements: [mrkdwn(paginationLabel(card.pagination))] });
    blocks.push(...actionBlocks(paginationButtons(card.pagination), PAGINATION_BLOCK_ID, counter));
  }
  if (card.context) blocks.push(...contextBlocks(card.context));
  return blocks;
}

/**
 * The top-level `text` (notifications, mobile pushes, screen readers). Slack parses it as mrkdwn,
 * so it is escaped like every block: `<!channel>` or `<https://evil|click>` typed by a user must
 * not become a mention or a disguised link. Cut first, then escaped, so no entity is cut in half.
 */
export const fallbackText = (card: Card): string => escapeMrkdwn(truncate([card.title, card.badge?.label, card.subtitle].filter(Boolean).join(' · '), 3000));

/** Every message needed to show the card, each within Slack's 50-block limit. */
export function cardToBlockKitMessages(card: Card): BlockKitMessage[] {
  const blocks = cardBlocks(card);
  if (blocks.length <= L.messageBlocks) return [{ text: fallbackText(card), blocks }];
  const parts = chunk(blocks, L.messageBlocks - 1);
  return parts.map((part, i) => {
    const note = i < parts.length - 1 ? `Continued in the next message (${i + 1}/${parts.length})` : `(${i + 1}/${parts.length})`;
    return { text: i === 0 ? fallbackText(card) : `${escapeMrkdwn(truncate(card.title, 200))} (continued)`, blocks: [...part, { type: 'context', elements: [mrkdwn(note)] }] };
  });
}

/** The first (usually only) message. Use cardToBlockKitMessages when posting a card that may be long. */
export function cardToBlockKit(card: Card): BlockKitMessage {
  return cardToBlockKitMessages(card)[0]!;
}
