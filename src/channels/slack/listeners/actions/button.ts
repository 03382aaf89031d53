/**
 * Every button (block_actions). Acknowledged first (so Slack's 3 s hold whatever the database
 * does); then identity, the retry claim, the conversation, and the reply where it belongs:
 *   - a form            -> views.open (views.push when the button sits in a modal)
 *   - the updated card  -> chat.update of the message the button is on (ephemeral: response_url
 *                          replace); every other copy of the same approval is redrawn for its
 *                          own recipient by the approval's subscriber (../../approvalCopies.ts)
 *   - other cards       -> ephemeral through response_url, or a DM when clicked in the Home
 * A click in the Home republishes the Home so it shows the new state.
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import { z } from 'zod';
import type { Reply } from '../../../../conversation/handlers/types';
import { baseActionId } from '../../../../conversation/render/slackLimits';
import type { Person } from '../../../../domain/types';
import type { SlackDeps } from '../../deps';
import { publishHome } from '../../home';
import { actionKey, claimOnce } from '../../idempotency';
import { slackActor } from '../../identity';
import { handleSafely } from '../../../../conversation/handlers/safe';
import { inPlaceCopy } from '../../../../notifications/approvalCopies';
import { slackCopyId } from '../../approvalCopies';
import { UNKNOWN_USER_TEXT } from '../../interact';
import { noticeBlocks, renderCards, renderMessages } from '../../render';
import { uncertainOutcomeText } from '../../../../conversation/handlers/uncertainOutcome';

const blockActionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  trigger_id: z.string().optional(),
  response_url: z.string().url().optional(),
  container: z
    .object({
      type: z.string(),
      channel_id: z.string().optional(),
      message_ts: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
      view_id: z.string().optional(),
    })
    .optional(),
  view: z.object({ id: z.string(), type: z.string() }).optional(),
  actions: z
    .array(z.object({ action_id: z.string(), value: z.string().optional(), action_ts: z.string().optional(), selected_option: z.object({ value: z.string() }).optional() }))
    .min(1),
});
type BlockActionBody = z.infer<typeof blockActionSchema>;

type Respond = (msg: Record<string, unknown>) => Promise<unknown>;

export const buttonAction =
  (deps: SlackDeps) =>
  async ({ body, ack, respond, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const parsed = blockActionSchema.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'slack block_actions payload rejected');
      return;
    }
    const b = parsed.data;
    const action = b.actions[0]!;
    const value = action.value ?? action.selected_option?.value ?? '';
    // Without a response_url (Home, modals) the fallback reply is a DM from the bot.
    const reply$: Respond = b.response_url
      ? (msg) => respond(msg as never)
      : (msg) => client.chat.postMessage({ channel: b.user.id, ...(msg as { text: string }) });
    try {
      const actor = await slackActor(deps.ctx, client, b.user.id, deps.logger, deps.actors);
      if (!actor) {
        await reply$({ response_type: 'ephemeral', replace_original: false, ...noticeBlocks(UNKNOWN_USER_TEXT) });
        return;
      }
      const key = actionKey({ triggerId: b.trigger_id, actionTs: action.action_ts, actionId: action.action_id, userId: b.user.id });
      if (!(await claimOnce(deps.ctx, key))) {
        deps.logger.info({ key }, 'slack action retry ignored');
        return;
      }
      const interaction = { kind: 'action' as const, actionId: baseActionId(action.action_id), value };
      // The clicked message is replaced by this reply; the copies refresh leaves it alone.
      const c = b.container;
      const clicked = c?.type === 'message' && c.channel_id && c.message_ts ? slackCopyId(c.channel_id, c.message_ts) : undefined;
      const reply = await inPlaceCopy('slack', clicked, () => handleSafely(deps, actor, interaction));
      await deliver(deps, client, b, reply, reply$, actor);
    } catch (e) {
      deps.logger.error({ err: e }, 'slack action failed');
      await reply$({ response_type: 'ephemeral', replace_original: false, ...noticeBlocks(uncertainOutcomeText()) }).catch(() => undefined);
    }
  };

async function deliver(
  deps: SlackDeps,
  client: WebClient,
  b: BlockActionBody,
  reply: Reply,
  reply$: Respond,
  actor: Person,
): Promise<void> {
  const inHome = b.view?.type === 'home';
  if (reply.form && b.trigger_id) {
    const view = deps.renderers.modal(reply.form) as never;
    try {
      if (b.view?.type === 'modal') await client.views.push({ trigger_id: b.trigger_id, view });
      else await client.views.open({ trigger_id: b.trigger_id, view });
    } catch (e) {
      // A trigger id lives 3 seconds (a slow database can outlast it): say so, not "something went wrong".
      deps.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'slack views.open from a button failed');
      await reply$({ response_type: 'ephemeral', replace_original: false, ...noticeBlocks('The form could not be opened in time. Please click the button again.') });
    }
  }
  if (reply.updated) {
    const c = b.container;
    if (c?.type === 'message' && c.is_ephemeral && b.response_url) {
      // An ephemeral message has no ts to chat.update: Slack replaces it through its response_url.
      await reply$({ replace_original: true, ...renderCards(deps.renderers, [reply.updated]) });
    } else if (c?.type === 'message' && c.channel_id && c.message_ts) {
      await client.chat.update({ channel: c.channel_id, ts: c.message_ts, ...renderCards(deps.renderers, [reply.updated]) } as never);
    }
  }
  if (reply.cards.length) {
    for (const m of renderMessages(deps.renderers, reply.cards)) await reply$({ response_type: 'ephemeral', replace_original: false, ...m });
  }
  if (inHome) await publishHome(deps, client, b.user.id, actor);
}
