/**
 * TEMPORARY stand-in for src/conversation/handlers (createConversation), until it lands: a
 * small Conversation on the real domain operations and card builders, enough to drive the
 * Slack channel end to end. The lead switches the Slack tests to the real conversation.
 */
import {
  APPROVE_ACTION_ID,
  INTAKE_FORM_ID,
  OPEN_INTAKE_ACTION_ID,
  OPEN_REJECT_FORM_ACTION_ID,
  REJECT_ACTION_ID,
  REJECT_FORM_ID,
} from '../../../../src/conversation/actions';
import { approvalCard } from '../../../../src/conversation/cards/approval';
import { indexPeople } from '../../../../src/conversation/cards/format';
import { rejectFormCard } from '../../../../src/conversation/cards/forms/smallForms';
import type { Card } from '../../../../src/conversation/cards/model';
import type { Conversation, Interaction, Reply } from '../../../../src/conversation/handlers/types';
import { castVote } from '../../../../src/domain/approvals/castVote';
import { isDomainError } from '../../../../src/domain/errors';
import type { DomainContext } from '../../../../src/domain/ports';
import type { Person } from '../../../../src/domain/types';
import { proposeUseCase } from '../../../../src/domain/usecases/proposeUseCase';

/** The lowest-risk answers to every required question of the playbook (tier: minimal). */
export function minimalAnswers(policy: DomainContext['policy']): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of policy.risk.questions) {
    if (!q.required) continue;
    const ids = (q.options ?? []).map((o) => o.id);
    if (q.kind === 'boolean') answers[q.id] = false;
    else if (q.kind === 'multi_select') answers[q.id] = ids.includes('none') ? ['none'] : ids.slice(0, 1);
    else if (q.kind === 'single_select') answers[q.id] = ids[0];
    else answers[q.id] = 'n/a';
  }
  return answers;
}

const intakeForm: Card = {
  title: 'Propose a use case',
  form: {
    id: INTAKE_FORM_ID,
    submitLabel: 'Propose',
    inputs: [
      { id: 'title', kind: 'text', label: 'Title', required: true },
      { id: 'description', kind: 'multiline', label: 'Description', required: false },
    ],
    hidden: {},
  },
};

export function standInConversation(ctx: DomainContext): Conversation & { seen: Interaction[] } {
  const seen: Interaction[] = [];
  async function decided(key: string): Promise<Card> {
    const approval = (await ctx.repos.approvals.get(key))!;
    return approvalCard({ approval, policy: ctx.policy, people: indexPeople(await ctx.repos.people.list()), now: ctx.clock.now() });
  }
  async function vote(actor: Person, approvalKey: string, decision: 'approve' | 'reject', reason?: string): Promise<Reply> {
    await castVote(ctx, { actorId: actor.id, approvalKey, decision, reason });
    return { cards: [{ title: `Your ${decision === 'approve' ? 'approval' : 'rejection'} of ${approvalKey} is recorded` }], updated: await decided(approvalKey) };
  }
  async function run(actor: Person, i: Interaction): Promise<Reply> {
    if (i.kind === 'command') {
      const [word, arg, ...rest] = i.text.split(/\s+/);
      if (word === 'propose') return { cards: [], form: intakeForm };
      if (word === 'raci') {
        const uc = await ctx.repos.useCases.get(arg ?? '');
        return { cards: [uc ? { title: `RACI · ${uc.key}`, text: uc.raci.map((r) => r.area).join(', ') } : { title: `No use case ${arg}` }] };
      }
      if (word === 'approve' && arg) return vote(actor, arg, 'approve', rest.join(' ') || undefined);
      return { cards: [{ title: `Unknown command: ${word ?? ''}` }] };
    }
    if (i.kind === 'action') {
      if (i.actionId === APPROVE_ACTION_ID) return vote(actor, i.value, 'approve');
      if (i.actionId === REJECT_ACTION_ID || i.actionId === OPEN_REJECT_FORM_ACTION_ID) return { cards: [], form: rejectFormCard(i.value) };
      if (i.actionId === OPEN_INTAKE_ACTION_ID) return { cards: [], form: intakeForm };
      return { cards: [{ title: `Action ${i.actionId}` }] };
    }
    if (i.formId === INTAKE_FORM_ID) {
      const title = String(i.values.title ?? '');
      if (title.trim().length < 3) return { cards: [], formErrors: { title: 'give a title of at least 3 characters' } };
      const uc = await proposeUseCase(ctx, { actorId: actor.id, title, description: String(i.values.description ?? ''), answers: minimalAnswers(ctx.policy) });
      return { cards: [{ title: `${uc.key} proposed`, text: uc.title }] };
    }
    if (i.formId === REJECT_FORM_ID) {
      const reason = String(i.values.reason ?? '').trim();
      if (reason.length < 5) return { cards: [], formErrors: { reason: 'say why in a few words' } };
      return vote(actor, i.hidden.approvalKey ?? '', 'reject', reason);
    }
    return { cards: [{ title: `Form ${i.formId}` }] };
  }
  return {
    seen,
    async handle(actor, interaction) {
      seen.push(interaction);
      try {
        return await run(actor, interaction);
      } catch (e) {
        if (isDomainError(e)) return { cards: [{ title: 'Not done', text: e.message }] };
        throw e;
      }
    },
  };
}
