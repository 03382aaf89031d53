/**
 * The bot: botbuilder's ActivityHandler routing each Teams activity type to one handler.
 * TeamsActivityHandler is not needed: nothing here depends on Teams-only events beyond what
 * ActivityHandler dispatches (message, conversationUpdate, installationUpdate, invoke).
 */
import { ActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { TeamsDeps } from './deps';
import { handleCardAction, handleInstall, handleMessage } from './handlers';
import { invokeError, invokeMessage } from './render';

export const OLD_INVOKE_TEXT = 'That action is from an older version of Steward and no longer does anything. Type help to see what you can do now.';

export class StewardBot extends ActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onMessage(async (context, next) => {
      await handleMessage(deps, context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) await handleInstall(deps, context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await handleInstall(deps, context);
      await next();
    });
  }

  /**
   * botbuilder reads `value.action.type` of an adaptiveCard/action unchecked (a malformed one was
   * a TypeError, HTTP 500) and answers invokes it has no handler for with 501. Both are answered
   * here as Steward answers a request no listener takes: 400 for the unreadable action, and a
   * plain message for an invoke from an older version or another app.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { name, value } = context.activity;
    if (name === 'adaptiveCard/action') {
      const action = typeof value === 'object' && value !== null ? (value as { action?: unknown }).action : undefined;
      if (typeof action !== 'object' || action === null) {
        const body = invokeError('The card action could not be read: value.action is missing.');
        return { status: body.statusCode, body };
      }
      return super.onInvokeActivity(context);
    }
    const res = await super.onInvokeActivity(context);
    if (res.status !== 501) return res;
    return { status: 200, body: invokeMessage(OLD_INVOKE_TEXT) };
  }

  /** Universal Actions (Action.Execute): the InvokeResponse body is the card everyone sees next. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, _value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return (await handleCardAction(this.deps, context)) as AdaptiveCardInvokeResponse;
  }
}
