/** Slack's recorded payloads (test/fixtures/slack), with the fields a test varies. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/slack');

export function fixture<T = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as T;
}

export const triggerId = (): string => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`;

export function slashCommand(fields: { user_id: string; text: string; response_url: string; trigger_id?: string }): Record<string, string> {
  return { ...fixture<Record<string, string>>('slash_command'), trigger_id: triggerId(), ...fields };
}

export function blockAction(o: {
  userId: string;
  actionId: string;
  value: string;
  responseUrl?: string;
  container?: Record<string, unknown>;
  view?: Record<string, unknown>;
  /** The blocks of the message the button is on (Slack sends them back in `message.blocks`). */
  messageBlocks?: unknown[];
}): Record<string, any> {
  const p = fixture('block_actions_approve');
  if (o.messageBlocks) p.message.blocks = o.messageBlocks;
  p.user.id = o.userId;
  p.trigger_id = triggerId();
  p.actions[0].action_id = o.actionId;
  p.actions[0].value = o.value;
  p.actions[0].action_ts = `${Date.now() / 1000}`;
  if (o.container) p.container = o.container;
  if (o.view) {
    p.view = o.view;
    delete p.message;
    delete p.channel;
    delete p.response_url;
  } else if (o.responseUrl) p.response_url = o.responseUrl;
  else delete p.response_url;
  return p;
}

export function viewSubmission(o: {
  userId: string;
  callbackId: string;
  values: Record<string, unknown>;
  hidden?: Record<string, string>;
  viewId?: string;
  hash?: string;
  /** The modal as the app opened it: Slack echoes its blocks, title and private_metadata. */
  opened?: Record<string, any>;
}): Record<string, any> {
  const p = fixture('view_submission_reject');
  p.user.id = o.userId;
  p.view.id = o.viewId ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  p.view.hash = o.hash ?? `${Date.now()}.${randomBytes(3).toString('hex')}`;
  p.view.callback_id = o.callbackId;
  p.view.private_metadata = JSON.stringify(o.hidden ?? {});
  if (o.opened) {
    for (const k of ['blocks', 'title', 'submit', 'close', 'private_metadata'] as const) if (o.opened[k] !== undefined) p.view[k] = o.opened[k];
  }
  p.view.state.values = o.values;
  return p;
}

export function appHomeOpened(userId: string): Record<string, any> {
  const p = fixture('app_home_opened');
  p.event.user = userId;
  p.event_id = `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
  return p;
}
