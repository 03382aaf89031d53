/**
 * Steps the message and invoke handlers share (running an interaction safely is channel-neutral:
 * conversation/handlers/safe.ts): remember where a person or conversation can be reached, and
 * carry a decided approval card to every stored copy of the approval request (each approver got
 * their own).
 */
import { TurnContext } from 'botbuilder';
import type { Card } from '../../conversation/cards/model';
import type { Person } from '../../domain/types';
import { conversationRefKey, personRefKey, type StoredReference, type TeamsMessageRef } from '../../store/teamsRefs.repo';
import type { TeamsDeps } from './deps';
import { attachment } from './render';

/**
 * The reference to write to this conversation later. The triggering activity's id is dropped:
 * kept, every proactive send would become a reply to it (a thread under it, in a channel).
 */
export function referenceOf(context: TurnContext): StoredReference {
  const { activityId: _dropped, ...reference } = TurnContext.getConversationReference(context.activity) as unknown as StoredReference & { activityId?: string };
  return reference as StoredReference;
}

/**
 * Remembers how to reach this conversation later: by person for a personal chat, by
 * conversation id for channels and group chats (the configured incident/governance ids).
 */
export async function rememberConversation(deps: TeamsDeps, context: TurnContext, person?: Person | null): Promise<void> {
  const reference = referenceOf(context);
  // The reference of a channel message points at its thread; keep the channel itself.
  const channelId = reference.conversation.id.split(';')[0]!;
  const at = deps.ctx.clock.now();
  const personal = context.activity.conversation?.conversationType === 'personal';
  if (personal && person) await deps.refs.saveConversation(personRefKey(person.id), reference, at);
  if (!personal) await deps.refs.saveConversation(conversationRefKey(channelId), { ...reference, conversation: { ...reference.conversation, id: channelId } }, at);
}

/**
 * Runs `logic` in a proactive turn of the stored conversation and rethrows its failure: the
 * adapter would otherwise hand it to onTurnError and the caller (the outbox) would believe a
 * throttled or refused send had succeeded.
 */
export async function proactive(deps: TeamsDeps, reference: StoredReference, logic: (tc: TurnContext) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | undefined;
  await deps.adapter.continueConversationAsync(deps.appId, reference as never, async (tc) => {
    try {
      await logic(tc);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}

/** updateActivity of one stored activity, through the proactive path, within the rate limit. */
export async function updateStoredActivity(deps: TeamsDeps, ref: TeamsMessageRef, card: Card): Promise<void> {
  await deps.limiter.run(ref.reference.conversation.id, () =>
    proactive(deps, ref.reference, async (tc) => {
      await tc.updateActivity({ id: ref.activityId, type: 'message', attachments: [attachment(deps.render, card)] });
    }),
  );
}

/** Every stored copy of a message about the subjects gets the card (failures are logged, not fatal). */
export async function updateStoredMessages(deps: TeamsDeps, subjects: string[], card: Card): Promise<number> {
  let updated = 0;
  const seen = new Set<string>();
  for (const subject of subjects) {
    for (const ref of await deps.refs.messagesAbout(subject)) {
      if (seen.has(ref.key)) continue;
      seen.add(ref.key);
      try {
        await updateStoredActivity(deps, ref, card);
        updated += 1;
      } catch (e) {
        deps.logger.warn({ err: e instanceof Error ? e.message : String(e), key: ref.key }, 'teams update of a stored activity failed');
      }
    }
  }
  return updated;
}
