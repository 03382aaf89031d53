/**
 * Neutral cards -> Bot Framework message activities carrying Adaptive Cards 1.5. The card JSON
 * itself comes from the shared pure renderer (cardToAdaptiveCard); this file only wraps it in
 * the attachment / invoke-response envelopes Teams expects.
 */
import type { Card } from '../../conversation/cards/model';
import { cardToAdaptiveCard, type AdaptiveCardJson } from '../../conversation/render/adaptiveCard';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Universal Actions: a message for the person instead of a card (the card stays as it is). */
export const INVOKE_MESSAGE_TYPE = 'application/vnd.microsoft.activity.message';
export const INVOKE_ERROR_TYPE = 'application/vnd.microsoft.error';

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCardJson;
}

export interface MessageActivity {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: CardAttachment[];
  attachmentLayout?: 'list';
}

export type CardRenderer = (card: Card) => AdaptiveCardJson;

export const attachment = (render: CardRenderer, card: Card): CardAttachment => ({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: render(card) });

/** One message with the cards stacked; `summary` is what notifications and screen readers show. */
export function cardsActivity(cards: Card[], render: CardRenderer = cardToAdaptiveCard, text?: string): MessageActivity {
  return {
    type: 'message',
    summary: text ?? cards.map((c) => c.title).join(' · '),
    attachments: cards.map((c) => attachment(render, c)),
    ...(cards.length > 1 ? { attachmentLayout: 'list' as const } : {}),
  };
}

/** A short card for notices (unknown user, apologies), so every reply looks alike. */
export const noticeCard = (text: string, title = 'Steward'): Card => ({ title, text });

/** The InvokeResponse body that replaces the card everyone sees on this activity. */
export const invokeCard = (render: CardRenderer, card: Card) => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: render(card) });

export const invokeMessage = (text: string) => ({ statusCode: 200, type: INVOKE_MESSAGE_TYPE, value: text });

/** A refused submission: Teams shows the message and keeps the card (and the typed inputs). */
export const invokeError = (message: string, statusCode = 400) => ({
  statusCode,
  type: INVOKE_ERROR_TYPE,
  value: { code: statusCode === 400 ? 'BadRequest' : 'InternalServerError', message },
});
