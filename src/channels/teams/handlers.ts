/**
 * The turn handlers: a message (a command typed to the bot, or a legacy Action.Submit), an
 * `adaptiveCard/action` invoke (Universal Actions: buttons and form submits), and install events.
 * Each one: identity, a claim on the activity id (Teams redelivers when it thinks a turn timed
 * out), the conversation, then the reply where it belongs.
 */
import { TurnContext } from 'botbuilder';
import type { Card } from '../../conversation/cards/model';
import type { Interaction, Reply } from '../../conversation/handlers/types';
import type { TeamsDeps } from './deps';
import { teamsActor, UNKNOWN_USER_TEXT } from './identity';
import { approvalKeysOf, handleSafely } from '../../conversation/handlers/safe';
import { rememberConversation, updateStoredMessages } from './interact';
import { commandText, parseInvoke, parseSubmit } from './interaction';
import { cardsActivity, invokeCard, invokeError, invokeMessage, noticeCard } from './render';

export type AdaptiveInvokeResponse = { statusCode: number; type: string; value: unknown };

const activityKey = (context: TurnContext): string | undefined =>
  context.activity.id ? `teams:activity:${context.activity.conversation?.id ?? ''}:${context.activity.id}` : undefined;

/** True the first time this activity is seen (a redelivered activity does nothing twice). */
function claimActivity(deps: TeamsDeps, context: TurnContext): Promise<boolean> {
  const key = activityKey(context);
  return key ? deps.ctx.repos.claims.claim(key, { channel: 'teams' }) : Promise.resolve(true);
}

/** A refused submission leaves no trace, not even its claim. */
async function releaseActivity(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const key = activityKey(context);
  if (key) await deps.ctx.repos.claims.release(key);
}

/** A message: `@Steward propose` in a channel, `approvals` in the personal chat. */
export async function handleMessage(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const submitted = parseSubmit(context.activity.value);
  const text = commandText(TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '');
  const interaction: Interaction = submitted ?? { kind: 'command', text: text || 'help' };

  const actor = await teamsActor(deps.ctx, context, deps.logger);
  if (!actor) {
    await context.sendActivity(cardsActivity([noticeCard(UNKNOWN_USER_TEXT, 'You are not registered in Steward')], deps.render));
    return;
  }
  if (!(await claimActivity(deps, context))) {
    deps.logger.info({ activityId: context.activity.id }, 'teams message redelivery ignored');
    return;
  }
  await rememberConversation(deps, context, actor);
  const reply = await handleSafely(deps, actor, interaction);
  if (reply.formErrors && Object.keys(reply.formErrors).length) {
    await context.sendActivity(cardsActivity([noticeCard(`Not saved: ${Object.values(reply.formErrors).join('; ')}`, 'Please check the form')], deps.render));
    return;
  }
  if (reply.updated) await updateStoredMessages(deps, approvalKeysOf(interaction), reply.updated);
  const cards = [...reply.cards, ...(reply.form ? [reply.form] : [])];
  if (cards.length) await context.sendActivity(cardsActivity(cards, deps.render));
}

/**
 * A Universal Action. The response card replaces the card the button was on (for everyone who
 * refreshes it); decided approvals are also pushed to every stored copy with updateActivity.
 */
export async function handleCardAction(deps: TeamsDeps, context: TurnContext): Promise<AdaptiveInvokeResponse> {
  const parsed = parseInvoke(context.activity.value);
  if (!parsed.ok) return invokeError(parsed.message);
  const { interaction } = parsed;

  const actor = await teamsActor(deps.ctx, context, deps.logger);
  if (!actor) return invokeMessage(UNKNOWN_USER_TEXT);
  if (!(await claimActivity(deps, context))) return invokeMessage('Already done.');
  await rememberConversation(deps, context, actor);

  const reply = await handleSafely(deps, actor, interaction);
  if (reply.formErrors && Object.keys(reply.formErrors).length) {
    // Nothing was written; the card and what was typed stay, with the reason shown.
    await releaseActivity(deps, context);
    return invokeError(Object.values(reply.formErrors).join('; '));
  }
  if (reply.updated) await updateStoredMessages(deps, approvalKeysOf(interaction), reply.updated);
  const inPlace = inPlaceCard(reply, interaction);
  const others = reply.cards.filter((c) => c !== inPlace && c !== reply.updated);
  if (others.length) await context.sendActivity(cardsActivity(others, deps.render));
  return inPlace ? invokeCard(deps.render, inPlace) : invokeMessage('Done.');
}

/**
 * Which card takes the place of the one acted on: the decided approval, a form the button
 * opens, or the result of a submitted form (the form is spent). Anything else (e.g. "show
 * UC-3" from a list) is a new message and the original card stays.
 */
function inPlaceCard(reply: Reply, interaction: Interaction): Card | undefined {
  return reply.updated ?? reply.form ?? (interaction.kind === 'form' ? reply.cards[0] : undefined);
}

/**
 * The app was installed (personal, team or group chat): keep the conversation reference so
 * Steward can write first. Only reads people: an unknown installer is not registered here.
 */
export async function handleInstall(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const aad = context.activity.from?.aadObjectId;
  const person = aad ? await deps.ctx.repos.people.findByTeamsAadObjectId(aad) : null;
  await rememberConversation(deps, context, person);
  deps.logger.info({ conversationType: context.activity.conversation?.conversationType, personal: Boolean(person) }, 'teams conversation reference stored');
}
