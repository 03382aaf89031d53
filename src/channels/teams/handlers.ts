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
import { SHOW_APPROVAL_ACTION_ID } from '../../conversation/actions';
import { approvalKeysOf, handleSafely } from '../../conversation/handlers/safe';
import { inPlaceCopy } from '../../notifications/approvalCopies';
import { rememberConversation } from './interact';
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
  // The authenticated sender is the proof `link teams` rests on.
  const aadObjectId = context.activity.from?.aadObjectId;
  const interaction: Interaction = submitted ?? { kind: 'command', text: text || 'help', ...(aadObjectId ? { sentFrom: { teamsAadObjectId: aadObjectId } } : {}) };

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
  // A vote's copies (every approver's chat) are redrawn by the approval's subscriber (./approvalCopies.ts).
  const cards = [...reply.cards, ...(reply.form ? [reply.form] : [])];
  if (cards.length) await context.sendActivity(cardsActivity(cards, deps.render));
}

/**
 * A Universal Action. The response card replaces the card the button was on; the other copies
 * of an approval are redrawn for their own recipients by the approval's subscriber, which leaves
 * this one (replyToId) to the response. A refusal answers in place too: the person sees why at
 * once, where they clicked, and no second message follows.
 */
export async function handleCardAction(deps: TeamsDeps, context: TurnContext): Promise<AdaptiveInvokeResponse> {
  const parsed = parseInvoke(context.activity.value);
  if (!parsed.ok) return invokeError(parsed.message);
  const { interaction } = parsed;

  const actor = await teamsActor(deps.ctx, context, deps.logger);
  if (!actor) return invokeMessage(UNKNOWN_USER_TEXT);
  if (!(await claimActivity(deps, context))) return invokeMessage('Already done.');
  await rememberConversation(deps, context, actor);

  const reply = await inPlaceCopy('teams', context.activity.replyToId, () => handleSafely(deps, actor, interaction));
  if (reply.formErrors && Object.keys(reply.formErrors).length) {
    // Nothing was written; the card and what was typed stay, with the reason shown.
    await releaseActivity(deps, context);
    return invokeError(Object.values(reply.formErrors).join('; '));
  }
  const inPlace = inPlaceCard(reply, interaction);
  const others = reply.cards.filter((c, i) => c !== inPlace && c !== reply.updated && !(reply.refusal && i === 0));
  if (others.length) await context.sendActivity(cardsActivity(others, deps.render));
  return inPlace ? invokeCard(deps.render, inPlace) : invokeMessage('Done.');
}

/**
 * Which card takes the place of the one acted on: the decided approval, a form the button
 * opens, the result of a submitted form (the form is spent), or a refusal (with a way back to
 * the approval it was about). Anything else (e.g. "show UC-3" from a list) is a new message and
 * the original card stays.
 */
function inPlaceCard(reply: Reply, interaction: Interaction): Card | undefined {
  if (reply.updated ?? reply.form) return reply.updated ?? reply.form;
  if (interaction.kind === 'form' && !reply.refusal) return reply.cards[0];
  const refusal = reply.refusal ? reply.cards[0] : undefined;
  if (!refusal) return undefined;
  const [approvalKey] = approvalKeysOf(interaction);
  return approvalKey && !refusal.buttons?.length ? { ...refusal, buttons: [{ label: `Show ${approvalKey}`, actionId: SHOW_APPROVAL_ACTION_ID, value: approvalKey }] } : refusal;
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
