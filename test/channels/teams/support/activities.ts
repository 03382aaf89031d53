/**
 * Real Teams activity shapes (test/fixtures/teams/*.json, as Teams sends them) with the parts a
 * test varies filled in: the fake connector's serviceUrl, the sender, the text or the action.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/teams');
const load = (name: string): any => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

export const BOT_ID = '28:00000000-0000-0000-0000-000000000000';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const TEAM_CHANNEL_ID = '19:5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d@thread.tacv2';

export interface Sender {
  /** The 29:... id Teams uses for the user in this bot's conversations. */
  id: string;
  aadObjectId?: string;
  name?: string;
  /** The user's personal chat with the bot (a:...). */
  personalConversationId: string;
}

let seq = 0;
const nextId = (): string => `17724${String(++seq).padStart(8, '0')}`;

function withSender(a: any, sender: Sender, serviceUrl: string): any {
  a.serviceUrl = serviceUrl;
  a.from = { id: sender.id, name: sender.name ?? 'Test user', ...(sender.aadObjectId ? { aadObjectId: sender.aadObjectId } : {}) };
  if (a.conversation.conversationType === 'personal') a.conversation.id = sender.personalConversationId;
  return a;
}

/** A message in the user's personal chat with the bot. */
export function personalMessage(serviceUrl: string, sender: Sender, text: string): any {
  const a = withSender(load('message_personal'), sender, serviceUrl);
  a.id = nextId();
  a.text = text;
  return a;
}

/** `@Steward <text>` in a team channel: the mention entity and the <at> tag as Teams sends them. */
export function channelMention(serviceUrl: string, sender: Sender, text: string): any {
  const a = withSender(load('message_channel_mention'), sender, serviceUrl);
  a.id = nextId();
  a.text = `<at>Steward</at> ${text}\n`;
  a.conversation.id = `${a.channelData.teamsChannelId};messageid=${a.id}`;
  return a;
}

/** The bot was added to a team (membersAdded carries the bot itself). */
export function teamInstall(serviceUrl: string, sender: Sender, channelId = TEAM_CHANNEL_ID): any {
  const a = withSender(load('conversation_update_team_install'), sender, serviceUrl);
  a.conversation.id = channelId;
  a.channelData.team.id = channelId;
  return a;
}

/** installationUpdate add in personal scope. */
export function personalInstall(serviceUrl: string, sender: Sender): any {
  const a = withSender(load('installation_update_add_personal'), sender, serviceUrl);
  a.id = `f:${nextId()}`;
  return a;
}

/** An Action.Execute on a card in the personal chat: a button (data.value) or a form submit (data). */
export function cardAction(serviceUrl: string, sender: Sender, verb: string, data: Record<string, unknown>, replyToId?: string): any {
  const a = withSender(load('invoke_adaptive_card_action'), sender, serviceUrl);
  a.id = `f:${nextId()}`;
  a.value = { action: { type: 'Action.Execute', title: verb, verb, data }, trigger: 'manual' };
  if (replyToId) a.replyToId = replyToId;
  return a;
}
