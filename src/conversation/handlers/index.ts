/**
 * The conversation every channel shares: one command grammar, buttons and forms, each
 * turned into one domain call and a reply of neutral cards.
 */
import type { Person } from '../../domain/types';
import type { HandlerDeps } from './deps';
import { errorReply } from './errorReply';
import { runAction } from './runAction';
import { runCommand } from './runCommand';
import { runForm } from './runForm';
import type { Conversation, Interaction, Reply } from './types';

export type { Conversation, Interaction, Reply } from './types';
export type { HandlerDeps, EvalRunRequest } from './deps';
export { kpiGroups } from './commands/governance';

export function createConversation(deps: HandlerDeps): Conversation {
  return {
    async handle(actor: Person, interaction: Interaction): Promise<Reply> {
      try {
        switch (interaction.kind) {
          case 'command':
            return await runCommand(deps, actor, interaction.text);
          case 'action':
            return await runAction(deps, actor, interaction.actionId, interaction.value);
          case 'form':
            return await runForm(deps, actor, interaction.formId, interaction.values, interaction.hidden);
        }
      } catch (err) {
        const about = interaction.kind === 'command' ? [interaction.text] : interaction.kind === 'action' ? [interaction.value] : Object.values(interaction.hidden);
        const reply = errorReply(err, deps.onUnexpectedError, about);
        // A refused form submission keeps the form open with the reason on top.
        return interaction.kind === 'form' ? { ...reply, formErrors: { _form: reply.cards[0]?.text ?? 'Refused.' } } : reply;
      }
    },
  };
}
