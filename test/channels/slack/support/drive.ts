/**
 * Drives the Slack channel as a person in Slack would: typed `/steward` commands, clicks on the
 * buttons of the messages the app really posted, and submissions of the modals it really
 * opened. Everything goes over signed HTTP to the real Bolt app; replies are read back from the
 * fake's response_url and Web API records.
 */
import { baseActionId } from '../../../../src/conversation/render/slackLimits';
import type { Person } from '../../../../src/domain/types';
import { interactionBody, postSigned, slashCommandBody } from '../../../support/slackSigning';
import type { SlackHarness } from './harness';
import { stateFor, type Answer } from './modal';
import { blockAction, slashCommand, viewSubmission } from './payloads';

type Json = Record<string, any>;

/** One message the app posted through a response_url. */
export interface Posted {
  id: string;
  body: Json;
  blocks: Json[];
  /** Fallback text and blocks as one string, for content assertions. */
  text: string;
}

/** A button as rendered in Block Kit (action_id may carry the renderer's `~n` suffix). */
export interface SlackButton {
  action_id: string;
  value: string;
}

let seq = 0;
const nextId = (what: string) => `${what}-${++seq}`;
const slackIdOf = (p: Person): string => {
  if (!p.slackUserId) throw new Error(`${p.id} has no Slack id`);
  return p.slackUserId;
};

export function textOf(body: Json): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}

/** Every button in a list of blocks (actions elements and section accessories). */
export function buttonsIn(blocks: Json[]): SlackButton[] {
  const out: SlackButton[] = [];
  for (const b of blocks) {
    const elements = [...(b.type === 'actions' ? b.elements : []), ...(b.accessory ? [b.accessory] : [])] as Json[];
    for (const e of elements) if (e.type === 'button') out.push({ action_id: e.action_id, value: e.value ?? '' });
  }
  return out;
}

/** The button with this action id (and value, when given); throws when the message has none. */
export function buttonIn(posted: Pick<Posted, 'blocks'>, actionId: string, value?: string): SlackButton {
  const all = buttonsIn(posted.blocks);
  const found = all.find((b) => baseActionId(b.action_id) === actionId && (value === undefined || b.value === value));
  if (!found) throw new Error(`no ${actionId}${value ? ` (${value})` : ''} button; buttons: ${all.map((b) => `${b.action_id}=${b.value}`).join(', ')}`);
  return found;
}

export function slackDriver(h: SlackHarness) {
  /** What this driver clicked and submitted (base action ids, callback ids), for coverage checks. */
  const exercised = { actions: new Set<string>(), forms: new Set<string>() };
  async function postsFor(id: string, count: number): Promise<Posted[]> {
    await h.fake.waitFor(() => h.fake.responseUrlPosts.filter((p) => p.id === id).length >= count, `${count} response_url post(s) to ${id}`);
    return h.fake.responseUrlPosts.filter((p) => p.id === id).map((p) => ({ id, body: p.body, blocks: (p.body.blocks ?? []) as Json[], text: textOf(p.body) }));
  }

  async function openedAfter(before: number): Promise<Json> {
    const calls = await h.fake.waitForCall('views.open', before + 1);
    return calls[before]!.args.view as Json;
  }

  return {
    postsFor,
    exercised,

    /** `/steward <text>`: the ack must be an empty 200 at once; resolves with the replies. */
    async say(who: Person, text: string, replies = 1): Promise<Posted[]> {
      const id = nextId('cmd');
      const res = await postSigned(h.url, slashCommandBody(slashCommand({ user_id: slackIdOf(who), text, response_url: h.fake.responseUrl(id) })));
      if (res.status !== 200 || res.text !== '') throw new Error(`slash command ack: ${res.status} ${res.text}`);
      return postsFor(id, replies);
    },

    /** `/steward <text>` that opens a modal: resolves with the view passed to views.open. */
    async open(who: Person, text: string): Promise<Json> {
      h.fake.expect('views.open');
      const before = h.fake.callsOf('views.open').length;
      const res = await postSigned(h.url, slashCommandBody(slashCommand({ user_id: slackIdOf(who), text, response_url: h.fake.responseUrl(nextId('open')) })));
      if (res.status !== 200) throw new Error(`slash command ack: ${res.status}`);
      return openedAfter(before);
    },

    /**
     * Clicks a button on an ephemeral reply (as the app posts them). `then` says what to wait
     * for: replies through the response_url, or a modal (views.open).
     */
    async click(who: Person, on: Posted, button: SlackButton, then: { replies: number } | 'modal' = { replies: 1 }): Promise<Posted[] | Json> {
      const id = nextId('click');
      exercised.actions.add(baseActionId(button.action_id));
      if (then === 'modal') h.fake.expect('views.open');
      const before = h.fake.callsOf('views.open').length;
      const payload = blockAction({
        userId: slackIdOf(who),
        actionId: button.action_id,
        value: button.value,
        responseUrl: h.fake.responseUrl(id),
        container: { type: 'message', channel_id: 'C2147483705', message_ts: '1700000000.000100', is_ephemeral: true },
        messageBlocks: on.blocks,
      });
      const res = await postSigned(h.url, interactionBody(payload));
      if (res.status !== 200) throw new Error(`block_actions ack: ${res.status}`);
      return then === 'modal' ? openedAfter(before) : postsFor(id, then.replies);
    },

    /** Submits a modal with answers by input block id; resolves with the HTTP answer (the ack). */
    async submit(who: Person, view: Json, answers: Record<string, Answer>): Promise<{ status: number; body: Json | null }> {
      exercised.forms.add(view.callback_id);
      const payload = viewSubmission({ userId: slackIdOf(who), callbackId: view.callback_id, values: stateFor(view, answers), opened: view });
      const res = await postSigned(h.url, interactionBody(payload));
      return { status: res.status, body: res.text ? (JSON.parse(res.text) as Json) : null };
    },
  };
}
