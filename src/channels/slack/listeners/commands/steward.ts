/**
 * `/steward <text>`. Slack wants an answer within 3 seconds whatever the database does, so the
 * command is acknowledged first (empty 200) and everything else happens after: identity, the
 * retry claim, the conversation, then the reply through response_url (ephemeral) or a modal.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from '../../deps';
import { claimOnce, commandKey } from '../../idempotency';
import { slackActor } from '../../identity';
import { handleSafely } from '../../../../conversation/handlers/safe';
import { UNKNOWN_USER_TEXT } from '../../interact';
import { noticeBlocks, renderMessages } from '../../render';
import { responder } from '../../responseUrl';
import { uploadFiles } from '../../uploadFiles';
import { uncertainOutcomeText } from '../../../../conversation/handlers/uncertainOutcome';

export const STEWARD_COMMAND = '/steward';

const commandSchema = z.object({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
  trigger_id: z.string().min(1),
  response_url: z.string().url(),
});

export const stewardCommand =
  (deps: SlackDeps) =>
  async ({ command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const parsed = commandSchema.safeParse(command);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'slack command payload rejected');
      return;
    }
    const cmd = parsed.data;
    // Bolt's respond() posts with fetch; this is the same POST at half the CPU (see responseUrl.ts).
    const respond = responder(cmd.response_url);
    try {
      const actor = await slackActor(deps.ctx, client, cmd.user_id, deps.logger, deps.actors);
      if (!actor) {
        await respond({ response_type: 'ephemeral', ...noticeBlocks(UNKNOWN_USER_TEXT) });
        return;
      }
      if (!(await claimOnce(deps.ctx, commandKey(cmd.trigger_id)))) {
        deps.logger.info({ triggerId: cmd.trigger_id }, 'slack command retry ignored');
        return;
      }
      // The signed request's user is the proof `link slack` rests on.
      const interaction = { kind: 'command' as const, text: cmd.text.trim(), sentFrom: { slackUserId: cmd.user_id } };
      const started = Date.now();
      const reply = await handleSafely(deps, actor, interaction);
      // The verb only: the rest of a command may carry personal data. Carries the request id.
      deps.logger.debug({ verb: interaction.text.split(/\s+/)[0] || 'help', actorId: actor.id, ms: Date.now() - started }, 'slack command handled');

      if (reply.form) {
        try {
          await client.views.open({ trigger_id: cmd.trigger_id, view: deps.renderers.modal(reply.form) as never });
        } catch (e) {
          // A trigger id lives 3 seconds; if it expired, say so instead of silently doing nothing.
          deps.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'slack views.open failed');
          await respond({ response_type: 'ephemeral', ...noticeBlocks('The form could not be opened in time. Please run the command again.') });
        }
      }
      // A long card continues in further messages rather than being cut at Slack's 50 blocks.
      if (reply.cards.length) for (const m of renderMessages(deps.renderers, reply.cards)) await respond({ response_type: 'ephemeral', ...m });
      // Files (an evidence pack) go to the person's DM with the bot; the card's links remain if that fails.
      if (reply.files?.length && !(await uploadFiles(client, cmd.user_id, reply.files, deps.logger))) {
        await respond({ response_type: 'ephemeral', ...noticeBlocks('The files could not be attached in Slack; use the download links above.') });
      }
      // A vote's other copies (every approver's DM) are redrawn by the approval's subscriber (../../approvalCopies.ts).
    } catch (e) {
      deps.logger.error({ err: e }, 'slack command failed');
      await respond({ response_type: 'ephemeral', ...noticeBlocks(uncertainOutcomeText()) }).catch(() => undefined);
    }
  };
