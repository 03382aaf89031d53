/**
 * What people read: `/steward` alone is a request for help, refusals are sentences (their stable
 * code is in the reply for logs and the API, never on the card), data classes read naturally,
 * and a long required label is never cut mid-word in a Teams error message.
 */
import { INTAKE_FORM_ID } from '../../src/conversation/actions';
import type { Card } from '../../src/conversation/cards/model';
import { createConversation, type Conversation } from '../../src/conversation/handlers';
import { cardToAdaptiveCard, cardToBlockKit, cardToHtml } from '../../src/conversation/render';
import { requiredMessage } from '../../src/conversation/render/adaptiveCard';
import { registerApprovedGpuModel } from '../support/models';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let team: Team;
let convo: Conversation;

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  convo = createConversation({ ctx: t.ctx });
});

const everywhere = (c: Card): string => `${JSON.stringify(cardToBlockKit(c))}\n${JSON.stringify(cardToAdaptiveCard(c))}\n${cardToHtml(c)}`;

it('an empty command shows the help card, not "I did not understand"', async () => {
  for (const text of ['', '   ']) {
    const reply = await convo.handle(team.llm_product_manager!, { kind: 'command', text });
    expect(reply.cards[0]!.title).toBe('Steward commands');
  }
});

it('a refusal is a sentence; the code stays in the reply for logs and the API', async () => {
  const pm = team.llm_product_manager!;
  const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal', { title: 'Self approval' });
  await convo.handle(pm, { kind: 'command', text: `advance ${uc.key}` });
  const approval = (await t.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0]!;
  const reply = await convo.handle(pm, { kind: 'command', text: `approve ${approval.key}` });
  expect(reply.refusal).toEqual({ code: 'approval.self_approval' });
  const shown = everywhere(reply.cards[0]!);
  expect(shown).toContain('separation of duties');
  expect(shown).not.toMatch(/approval\.self_approval|code:/);
});

it('"personal data", never "personal data data"', async () => {
  const pm = team.llm_product_manager!;
  await registerApprovedGpuModel(t.ctx, team, 'wording-gpt');
  const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal', { title: 'Data wording' });
  for (const dataClass of ['personal', 'internal']) {
    const reply = await convo.handle(pm, { kind: 'command', text: `can ${uc.key} use wording-gpt with ${dataClass}` });
    const title = reply.cards[0]!.title;
    expect(title).not.toMatch(/data data/);
    expect(title).toMatch(new RegExp(`${dataClass} data`));
  }
});

describe('required-input messages in Adaptive Cards', () => {
  const question = 'As a deployer, do you do any of the following with the system under your own name or trademark?';

  it('shortens a long label at a word boundary with an ellipsis', () => {
    const message = requiredMessage(question);
    expect(message).toMatch(/… is required$/);
    const head = message.replace(/… is required$/, '');
    expect(head.length).toBeLessThanOrEqual(60);
    // Every word kept is a whole word of the label.
    for (const word of head.split(' ')) expect(question.split(' ')).toContain(word);
  });

  it('keeps a short label whole', () => {
    expect(requiredMessage('Title')).toBe('Title is required');
  });

  it('is what the rendered card carries', () => {
    const card: Card = { title: 'Form', form: { id: INTAKE_FORM_ID, submitLabel: 'Save', inputs: [{ id: 'q', label: question, kind: 'text', required: true }], hidden: {} } } as Card;
    const rendered = JSON.stringify(cardToAdaptiveCard(card));
    expect(rendered).toContain(requiredMessage(question));
    expect(rendered).not.toContain(`${question.slice(0, 60)} is required`);
  });
});
