/**
 * Every form (view_submission). Unlike a command, the answer to a submission decides what the
 * modal does (close, show errors, update), so the whole submission (identity, claim,
 * conversation) runs before the ack, bounded: if it takes longer than ACK_BUDGET_MS from the
 * request's arrival, the modal is closed and the result follows as a DM.
 * A submission is claimed by view id + hash, so a retry or a double click creates nothing new;
 * a submission with errors releases its claim so the corrected one can go through.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import { z } from 'zod';
import { inputBlockId } from '../../../../conversation/actions';
import type { Reply } from '../../../../conversation/handlers/types';
import type { SlackDeps } from '../../deps';
import { formValuesFromState, hiddenFromMetadata, slackFormErrors, viewStateSchema } from '../../formValues';
import { claimOnce, releaseClaim, viewKey } from '../../idempotency';
import { slackActor } from '../../identity';
import { handleSafely } from '../../../../conversation/handlers/safe';
import { UNKNOWN_USER_TEXT } from '../../interact';
import { noticeBlocks, renderMessages } from '../../render';
import { uncertainOutcomeText } from '../../../../conversation/handlers/uncertainOutcome';

/** Slack closes the request at 3 s; leave room for the network. */
export const ACK_BUDGET_MS = 2500;

const viewSubmissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    id: z.string().min(1),
    hash: z.string().optional(),
    callback_id: z.string().min(1),
    private_metadata: z.string().optional(),
    blocks: z.array(z.object({ type: z.string(), block_id: z.string().optional() }).passthrough()).optional(),
    state: z.object({ values: viewStateSchema }),
  }),
});

const noticeModal = (text: string) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: 'Steward' },
  close: { type: 'plain_text' as const, text: 'Close' },
  blocks: noticeBlocks(text).blocks,
});

export const formSubmission =
  (deps: SlackDeps) =>
  async ({ body, ack, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    // Slack's 3 s run from the request, so the budget starts before anything that can wait
    // (identity, the claim, the conversation); when it runs out the modal closes with a plain ack.
    const budget = ackBudget(ACK_BUDGET_MS);
    let acked = false;
    const ackOnce: AckOnce = async (response) => {
      if (acked) return false;
      acked = true;
      await ack(response as never);
      return true;
    };
    const work = submit(deps, body, client, ackOnce);
    try {
      if ((await Promise.race([work.then(() => 'done' as const), budget.late])) === 'late') await ackOnce();
      await work;
    } finally {
      budget.cancel();
    }
  };

/** Acks at most once; false when the ack was already sent (the answer must then go by DM). */
type AckOnce = (response?: Record<string, unknown>) => Promise<boolean>;

function ackBudget(ms: number): { late: Promise<'late'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  return { late, cancel: () => clearTimeout(timer) };
}

/** The whole submission; never throws. Every answer goes through ackOnce, or by DM once too late. */
async function submit(deps: SlackDeps, body: unknown, client: WebClient, ackOnce: AckOnce): Promise<void> {
  const parsed = viewSubmissionSchema.safeParse(body);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'slack view_submission payload rejected');
    await ackOnce();
    return;
  }
  const { user, view } = parsed.data;
  try {
    const actor = await slackActor(deps.ctx, client, user.id, deps.logger, deps.actors);
    if (!actor) {
      if (!(await ackOnce({ response_action: 'update', view: noticeModal(UNKNOWN_USER_TEXT) }))) await dm(client, user.id, noticeBlocks(UNKNOWN_USER_TEXT));
      return;
    }
    const key = viewKey(view.id, view.hash);
    if (!(await claimOnce(deps.ctx, key))) {
      await ackOnce();
      return;
    }
    const interaction = {
      kind: 'form' as const,
      formId: view.callback_id,
      values: formValuesFromState(view.state.values),
      hidden: hiddenFromMetadata(view.private_metadata),
    };
    const reply = await handleSafely(deps, actor, interaction);

    if (reply.formErrors && Object.keys(reply.formErrors).length) {
      await releaseClaim(deps.ctx, key);
      // The submitted view's input blocks (Slack echoes the blocks; state.values lists the inputs too).
      const inputs = view.blocks?.length
        ? view.blocks.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!)
        : Object.keys(view.state.values);
      const errors = slackFormErrors(reply.formErrors, inputs, inputBlockId);
      const response = errors
        ? { response_action: 'errors', errors }
        : { response_action: 'update', view: noticeModal(`Not saved: ${Object.values(reply.formErrors).join('; ')}`) };
      if (await ackOnce(response)) return;
      // Too late to keep the modal open: say what was wrong in a DM instead.
      await dm(client, user.id, noticeBlocks(`Your form was not saved: ${Object.values(reply.formErrors).join('; ')}`));
      return;
    }
    if (reply.form && (await ackOnce({ response_action: 'update', view: deps.renderers.modal(reply.form) }))) {
      await afterwards(deps, client, user.id, { ...reply, form: undefined });
      return;
    }
    await ackOnce();
    await afterwards(deps, client, user.id, reply);
  } catch (e) {
    deps.logger.error({ err: e }, 'slack view submission failed');
    if (!(await ackOnce({ response_action: 'update', view: noticeModal(uncertainOutcomeText()) }))) {
      await dm(client, user.id, noticeBlocks(uncertainOutcomeText())).catch(() => undefined);
    }
  }
}

/** The result of a closed form: cards as a DM from the bot (approval copies are redrawn by ../../approvalCopies.ts). */
async function afterwards(deps: SlackDeps, client: WebClient, userId: string, reply: Reply): Promise<void> {
  // A follow-up form can only replace the modal inside the ack; after it, say how to go on.
  if (reply.form) await dm(client, userId, noticeBlocks(`${reply.form.title}: this form could not be shown in time. Please open it again.`));
  if (reply.cards.length) for (const m of renderMessages(deps.renderers, reply.cards)) await dm(client, userId, m);
}

/** chat.postMessage with a user id as channel lands in the app's Messages tab (the bot DM). */
function dm(client: WebClient, userId: string, msg: { blocks: unknown[]; text: string }) {
  return client.chat.postMessage({ channel: userId, blocks: msg.blocks as never, text: msg.text });
}
