/**
 * Delivers the outbox's messages through Slack (the Notifier port):
 *   { personId }         -> the person's DM with the bot (conversations.open, then chat.postMessage)
 *   { channel: 'incidents' | 'governance' | 'coe' } -> the configured channel id
 *   threadKey            -> in the thread of the earlier message with that key (same channel)
 * Every posted message is remembered (key -> channel + ts, with the approval/incident keys it is
 * about) so it can be threaded under and edited later. Throws on Slack failures so the outbox retries.
 */
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import type { Logger } from 'pino';
import type { Card } from '../../conversation/cards/model';
import { UnavailableError } from '../../domain/errors';
import type { DomainContext, Notifier, OutboundMessage } from '../../domain/ports';
import type { Person } from '../../domain/types';
import type { MongoSlackMessageRepository } from '../../store/slackMessages.repo';
import { keysIn } from '../../conversation/handlers/safe';
import { escapeMrkdwn } from '../../conversation/render/slackLimits';
import { renderCards, renderMessages, type SlackRenderers } from './render';

export type SlackChannelName = 'incidents' | 'governance' | 'coe';

export interface SlackNotifierDeps {
  ctx: Pick<DomainContext, 'repos' | 'clock'>;
  client: WebClient;
  messages: MongoSlackMessageRepository;
  renderers: SlackRenderers;
  /** Slack channel ids (C...) by Steward channel name; the bot must be a member of each. */
  channels: Partial<Record<SlackChannelName, string>>;
  logger: Logger;
}

/** An optional channel message (ifConfigured) with no such channel configured: nothing to post. */
export const NOT_CONFIGURED_REF = 'slack:not-configured';

/** A person Steward cannot reach on Slack (no linked Slack id): nothing to retry. */
export const NOT_ON_SLACK_REF = 'slack:not-linked';

export class SlackNotifier implements Notifier {
  /** DM channel ids by Slack user id: conversations.open returns the same id every time. */
  private readonly dms = new Map<string, string>();

  constructor(private readonly deps: SlackNotifierDeps) {}

  /** `recipient`: the person the router already read for this message (spares a second read). */
  async send(message: OutboundMessage, recipient?: Person): Promise<{ ref: string }> {
    const channel = await this.target(message, recipient);
    if (!channel) return { ref: 'channel' in message.to ? NOT_CONFIGURED_REF : NOT_ON_SLACK_REF };
    const card = message.card as Card | undefined;
    const rendered = card && typeof card === 'object' && typeof card.title === 'string' ? renderMessages(this.deps.renderers, [card]) : [];

    let threadTs: string | undefined;
    if (message.threadKey) {
      const parent = await this.deps.messages.get(message.threadKey);
      // A thread only exists in its own channel; elsewhere the message stands alone.
      if (parent && parent.channel === channel) threadTs = parent.ts;
    }
    // The outbox's text is plain (user text inside): escaped once here; rendered texts are escaped already.
    const post = (blocks?: unknown[], text = escapeMrkdwn(message.text)) =>
      this.deps.client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks: blocks as never } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
      });
    const res = await post(rendered[0]?.blocks);
    const postedChannel = res.channel ?? channel;
    const ts = res.ts;
    if (!ts) throw new UnavailableError('slack.no_ts', 'Slack accepted the message but returned no timestamp.');
    await this.deps.messages.save({
      key: message.key,
      channel: postedChannel,
      ts,
      subjects: keysIn(message.key, ...(card?.buttons ?? []).map((b) => b.value)),
      at: this.deps.ctx.clock.now(),
    });
    // A card longer than one message continues right after it; the first message is the one remembered.
    for (const more of rendered.slice(1)) await post(more.blocks, more.text);
    return { ref: `${postedChannel}:${ts}` };
  }

  /** chat.update of every stored message about a key (e.g. each approver's copy of APR-3). */
  async updateMessagesAbout(subject: string, card: Card): Promise<number> {
    const { blocks, text } = renderCards(this.deps.renderers, [card]);
    const refs = await this.deps.messages.listBySubject(subject.toUpperCase());
    for (const ref of refs) await this.deps.client.chat.update({ channel: ref.channel, ts: ref.ts, blocks: blocks as never, text });
    return refs.length;
  }

  private async target(message: OutboundMessage, recipient?: Person): Promise<string | undefined> {
    if ('channel' in message.to) {
      const id = this.deps.channels[message.to.channel];
      if (!id && message.ifConfigured) return undefined;
      if (!id) throw new UnavailableError('slack.channel_not_configured', `No Slack channel is configured for ${message.to.channel}.`);
      return id;
    }
    const person = recipient?.id === message.to.personId ? recipient : await this.deps.ctx.repos.people.findById(message.to.personId);
    if (!person?.slackUserId) {
      this.deps.logger.debug({ personId: message.to.personId }, 'slack notification skipped: person has no Slack id');
      return undefined;
    }
    const cached = this.dms.get(person.slackUserId);
    if (cached) return cached;
    const opened = await this.deps.client.conversations.open({ users: person.slackUserId });
    const id = opened.channel?.id;
    if (!id) throw new UnavailableError('slack.dm_unavailable', `Slack did not open a DM with ${person.slackUserId}.`);
    this.dms.set(person.slackUserId, id);
    return id;
  }
}
