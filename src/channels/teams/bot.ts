/**
 * The bot: botbuilder's ActivityHandler routing each Teams activity type to one handler.
 * TeamsActivityHandler is not needed: nothing here depends on Teams-only events beyond what
 * ActivityHandler dispatches (message, conversationUpdate, installationUpdate, invoke).
 */
import { ActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type TurnContext } from 'botbuilder';
import type { TeamsDeps } from './deps';
import { handleCardAction, handleInstall, handleMessage } from './handlers';

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

  /** Universal Actions (Action.Execute): the InvokeResponse body is the card everyone sees next. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, _value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return (await handleCardAction(this.deps, context)) as AdaptiveCardInvokeResponse;
  }
}
