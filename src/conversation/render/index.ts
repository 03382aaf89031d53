export { cardToBlockKit, cardToBlockKitMessages } from './blockKit';
export type { BlockKitMessage, SlackBlock } from './blockKit';
export { cardToSlackModal, slackViewValues } from './slackModal';
export type { SlackModalView } from './slackModal';
export { cardToAdaptiveCard, ADAPTIVE_CARD_SCHEMA_URL } from './adaptiveCard';
export type { AdaptiveCardJson } from './adaptiveCard';
export { cardToHtml, escapeHtml } from './html';
export { SLACK_LIMITS, actionIdPattern, baseActionId } from './slackLimits';
