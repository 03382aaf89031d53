/**
 * Delivers the outbox's messages through Teams (the Notifier port), proactively:
 *   { personId }  -> the person's personal chat with the bot: the reference stored when they
 *                    installed the app or first wrote to it; failing that, a new 1:1 chat is
 *                    created (POST /v3/conversations) with the tenant and service URL of any
 *                    stored reference, using their Entra object id
 *   { channel }   -> the configured conversation id (TEAMS_INCIDENT_CONVERSATION_ID ...), whose
 *                    reference was stored when the app was added to that team
 *   threadKey     -> a reply in the thread of the earlier message (`<channel>;messageid=<id>`)
 * Every sent activity is stored (delivery key -> reference + activity id + subjects) so a
 * decided approval can be edited in place later. Returns the activity id as the ref. Sends go
 * through the per-conversation rate limiter; failures are thrown so the outbox retries.
 */
import { TurnContext } from 'botbuilder';
import type { Card } from '../../conversation/cards/model';
import { UnavailableError } from '../../domain/errors';
import type { Notifier, OutboundMessage } from '../../domain/ports';
import { conversationRefKey, personRefKey, type StoredReference } from '../../store/teamsRefs.repo';
import type { TeamsDeps } from './deps';
import { keysIn } from '../../conversation/handlers/safe';
import { proactive, updateStoredMessages } from './interact';
import { cardsActivity } from './render';

export type TeamsChannelName = 'incidents' | 'governance' | 'coe';

const isCard = (c: unknown): c is Card => Boolean(c && typeof c === 'object' && typeof (c as Card).title === 'string');

export class TeamsNotifier implements Notifier {
  constructor(
    private readonly deps: TeamsDeps,
    /** Teams conversation ids (19:...@thread.tacv2) by Steward channel name. */
    private readonly channels: Partial<Record<TeamsChannelName, string>>,
    private readonly tenantId?: string,
  ) {}

  async send(message: OutboundMessage): Promise<{ ref: string }> {
    // An optional channel post (e.g. approvals to the governance channel) where none is configured.
    if ('channel' in message.to && message.ifConfigured && !this.channels[message.to.channel]) return { ref: 'teams:not-configured' };
    let reference = await this.target(message);
    if (message.threadKey) {
      const parent = await this.deps.refs.getMessage(message.threadKey);
      // A thread only exists in a channel, and only in the parent's own conversation.
      if (parent && parent.reference.conversation.id === reference.conversation.id && reference.conversation.conversationType === 'channel') {
        reference = { ...reference, conversation: { ...reference.conversation, id: `${reference.conversation.id};messageid=${parent.activityId}` } };
      }
    }
    const card = isCard(message.card) ? message.card : undefined;
    const activity = card ? { ...cardsActivity([card], this.deps.render, message.text), text: message.text } : { type: 'message' as const, text: message.text };
    let activityId: string | undefined;
    await this.deps.limiter.run(
      reference.conversation.id,
      () =>
        proactive(this.deps, reference, async (tc) => {
          // The SDK gives the continuation event a random id and would send our message as a
          // reply to it; a new message (or a thread reply, by conversation id) is what we mean.
          tc.activity.id = undefined;
          activityId = (await tc.sendActivity(activity))?.id;
        }),
      (attempt, delayMs, err) => this.deps.logger.warn({ attempt, delayMs, key: message.key, err: err instanceof Error ? err.message : String(err) }, 'teams send throttled; backing off'),
    );
    if (!activityId) throw new UnavailableError('teams.no_activity_id', 'Teams accepted the message but returned no activity id.');
    await this.deps.refs.saveMessage({
      key: message.key,
      reference,
      activityId,
      subjects: keysIn(message.key, ...(card?.buttons ?? []).map((b) => b.value)),
      at: this.deps.ctx.clock.now(),
    });
    return { ref: activityId };
  }

  /** updateActivity of every stored message about a key (e.g. each approver's copy of APR-3). */
  updateMessagesAbout(subject: string, card: Card): Promise<number> {
    return updateStoredMessages(this.deps, [subject.toUpperCase()], card);
  }

  private async target(message: OutboundMessage): Promise<StoredReference> {
    if ('channel' in message.to) {
      const id = this.channels[message.to.channel];
      if (!id) throw new UnavailableError('teams.channel_not_configured', `No Teams conversation is configured for ${message.to.channel}.`);
      const stored = await this.deps.refs.getConversation(conversationRefKey(id));
      if (!stored) throw new UnavailableError('teams.channel_not_installed', `Steward has not been added to the Teams conversation for ${message.to.channel} yet.`);
      return stored.reference;
    }
    const personId = message.to.personId;
    const stored = await this.deps.refs.getConversation(personRefKey(personId));
    if (stored) return stored.reference;
    return this.openPersonalChat(personId);
  }

  /** Creates the 1:1 chat (the app must be installed for the user, e.g. by their admin). */
  private async openPersonalChat(personId: string): Promise<StoredReference> {
    const person = await this.deps.ctx.repos.people.findById(personId);
    if (!person?.teamsAadObjectId) throw new UnavailableError('teams.person_not_linked', `Person ${personId} has no Teams account linked.`);
    const any = await this.deps.refs.anyConversation();
    const tenantId = this.tenantId ?? (any?.reference.conversation.tenantId as string | undefined);
    if (!any || !tenantId) throw new UnavailableError('teams.no_reference', 'Steward has no Teams conversation yet to learn the service URL and tenant from; install the app first.');
    let created: StoredReference | undefined;
    await this.deps.adapter.createConversationAsync(
      this.deps.appId,
      'msteams',
      any.reference.serviceUrl,
      // undefined: the connector factory's default audience (the Bot Framework token scope).
      undefined as unknown as string,
      { isGroup: false, bot: any.reference.bot as never, members: [{ id: person.teamsAadObjectId, name: person.name }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
      async (tc) => {
        const { activityId: _none, ...ref } = TurnContext.getConversationReference(tc.activity) as unknown as StoredReference & { activityId?: string };
        created = { ...ref, conversation: { ...ref.conversation, conversationType: 'personal', tenantId } } as StoredReference;
      },
    );
    if (!created) throw new UnavailableError('teams.dm_unavailable', `Teams did not open a chat with ${person.name}.`);
    await this.deps.refs.saveConversation(personRefKey(personId), created, this.deps.ctx.clock.now());
    return created;
  }
}
