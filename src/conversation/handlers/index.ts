/**
 * The conversation every channel shares: one command grammar, buttons and forms, each
 * turned into one domain call and a reply of neutral cards.
 */
import type { Person } from '../../domain/types';
import type { HandlerDeps } from './deps';
import { requireActor } from '../../domain/people/actor';
import { isDomainError } from '../../domain/errors';
import { auditRefusal } from './auditRefusal';
import { errorReply } from './errorReply';
import { runAction } from './runAction';
import { runCommand } from './runCommand';
import { runForm } from './runForm';
import type { Conversation, Interaction, Reply } from './types';

export type { Conversation, Interaction, Reply } from './types';
export type { HandlerDeps, EvalRunRequest, EvidenceService } from './deps';
export { kpiGroups } from './commands/governance';

const freshActor = (deps: HandlerDeps, actor: Person): Promise<Person> => requireActor(deps.ctx, actor.id);

export function createConversation(deps: HandlerDeps): Conversation {
  return {
    async handle(channelActor: Person, interaction: Interaction): Promise<Reply> {
      try {
        // Decisions are made on the person as stored now: a channel may hand over a copy it
        // cached for display, and a role removed a moment ago must not still count.
        const actor = await freshActor(deps, channelActor);
        switch (interaction.kind) {
          case 'command':
            return await runCommand(deps, actor, interaction.text, interaction.sentFrom);
          case 'action':
            return await runAction(deps, actor, interaction.actionId, interaction.value);
          case 'form':
            return await runForm(deps, actor, interaction.formId, interaction.values, interaction.hidden);
        }
      } catch (err) {
        const about = interaction.kind === 'command' ? [interaction.text] : interaction.kind === 'action' ? [interaction.value] : Object.values(interaction.hidden);
        // A refused decision is audited too (./auditRefusal.ts); failing to audit it never hides the refusal.
        if (isDomainError(err)) await auditRefusal(deps.ctx, channelActor.id, interaction, err).catch((e: unknown) => deps.onUnexpectedError?.(e));
        const reply = errorReply(err, deps.onUnexpectedError, about);
        // A refused form submission keeps the form open with the reason on top.
        return interaction.kind === 'form' ? { ...reply, formErrors: { _form: reply.cards[0]?.text ?? 'Refused.' } } : reply;
      }
    },
  };
}
