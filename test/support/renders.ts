/**
 * One card through every channel's renderer: Block Kit within Slack's limits (and the modal
 * limits when it is a form), an Adaptive Card valid against the 1.5 schema, and console HTML.
 */
import type { Card } from '../../src/conversation/cards/model';
import { cardToAdaptiveCard, cardToBlockKit, cardToHtml, cardToSlackModal } from '../../src/conversation/render';
import { adaptiveCardValidator } from '../channels/teams/support/adaptiveSchema';
import { blockProblems, modalProblems } from '../conversation/slackChecks';

let validateAdaptive: ((card: unknown) => string[]) | undefined;

export function expectRendersEverywhere(card: Card): void {
  const blocks = cardToBlockKit(card).blocks;
  expect(blocks.length).toBeGreaterThan(0);
  expect(blockProblems(blocks, 50)).toEqual([]);
  validateAdaptive ??= adaptiveCardValidator();
  expect(validateAdaptive(cardToAdaptiveCard(card))).toEqual([]);
  const html = cardToHtml(card);
  expect(html.startsWith('<article class="card">')).toBe(true);
  expect(html).toContain(card.title.slice(0, 10).replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  if (card.form) expect(modalProblems(cardToSlackModal(card))).toEqual([]);
}
