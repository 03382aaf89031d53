/**
 * The whole command grammar, buttons and forms through the channel-neutral conversation,
 * on the real database with the default playbooks. Channels only translate payloads, so
 * what is proven here holds for Slack, Teams and the console alike.
 */
import { registerApprovedGpuModel } from '../support/models';
import {
  APPROVE_ACTION_ID,
  INCIDENT_FORM_ID,
  INTAKE_FORM_ID,
  OPEN_REJECT_FORM_ACTION_ID,
  PAGE_ACTION_ID,
  REJECT_FORM_ID,
  REVIEW_DONE_FORM_ID,
} from '../../src/conversation/actions';
import { INCIDENT_INPUTS } from '../../src/conversation/cards/forms/incidentForm';
import { INTAKE_INPUTS, questionInputId } from '../../src/conversation/cards/forms/intakeForm';
import { REJECT_INPUTS, REVIEW_DONE_INPUTS } from '../../src/conversation/cards/forms/smallForms';
import type { Card } from '../../src/conversation/cards/model';
import { cardToAdaptiveCard, cardToBlockKit, cardToHtml } from '../../src/conversation/render';
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import type { Person } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { ANSWERS_FOR, proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let team: Team;
let convo: Conversation;
let unexpected: unknown[] = [];

const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.title, c.text, c.fields, c.sections, c.badge]));
const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const press = (who: Person, actionId: string, value: string) => convo.handle(who, { kind: 'action', actionId, value });
const buttonsOf = (c: Card) => [...(c.buttons ?? []), ...(c.sections ?? []).flatMap((s) => s.buttons ?? [])];

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

describe('commands', () => {
  it('help lists the commands and help <command> shows its usage', async () => {
    const all = await say(team.prompt_engineer, 'help');
    expect(text(all)).toMatch(/raci/);
    const one = await say(team.prompt_engineer, 'HELP raci');
    expect(text(one)).toMatch(/raci UC-/);
  });

  it('an unknown command gets the closest one and its usage, never a stack trace', async () => {
    const r = await say(team.prompt_engineer, 'rachi UC-1');
    expect(r.cards[0].title).toMatch(/did you mean/i);
    expect(text(r)).toMatch(/raci/);
    expect(text(r)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('propose opens the intake form; submitting it creates a use case with its tier', async () => {
    const r = await say(team.llm_product_manager, 'propose');
    expect(r.form?.form?.id).toBe(INTAKE_FORM_ID);
    const values: Record<string, unknown> = { [INTAKE_INPUTS.title]: 'Claims triage assistant', [INTAKE_INPUTS.description]: 'Summarises claims for handlers', [INTAKE_INPUTS.models]: [] };
    for (const [q, a] of Object.entries(ANSWERS_FOR.high)) values[questionInputId(q)] = typeof a === 'boolean' ? (a ? 'yes' : 'no') : a;
    const before = (await t.ctx.repos.useCases.list()).length;
    const done = await convo.handle(team.llm_product_manager, { kind: 'form', formId: INTAKE_FORM_ID, values, hidden: {} });
    expect(done.formErrors).toBeUndefined();
    const after = await t.ctx.repos.useCases.list();
    expect(after.length).toBe(before + 1);
    const created = after.find((u) => u.title === 'Claims triage assistant')!;
    expect(created.tier).toBe('high');
    expect(text(done)).toContain(created.key);
  });

  it('a form with a missing answer is refused with the field named, and nothing is written', async () => {
    const before = (await t.ctx.repos.useCases.list()).length;
    const r = await convo.handle(team.llm_product_manager, { kind: 'form', formId: INTAKE_FORM_ID, values: { [INTAKE_INPUTS.title]: 'x' }, hidden: {} });
    expect(r.formErrors).toBeDefined();
    expect(Object.values(r.formErrors!)[0]).toMatch(/required|at least|answer|choose/i);
    expect((await t.ctx.repos.useCases.list()).length).toBe(before);
  });

  it('show, list (all, mine, stage, tier), raci and who approves', async () => {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'transparency', { title: 'FAQ bot' });
    expect(text(await say(team.domain_expert, `show ${uc.key.toLowerCase()}`))).toContain('FAQ bot');
    expect(text(await say(team.llm_product_manager, 'list mine'))).toContain(uc.key);
    expect(text(await say(team.domain_expert, 'list ideation'))).toContain(uc.key);
    expect(text(await say(team.domain_expert, 'list transparency'))).toContain(uc.key);
    const raci = await say(team.domain_expert, `raci ${uc.key}`);
    expect(text(raci)).toMatch(/Accountable/);
    const oneArea = await say(team.domain_expert, `raci ${uc.key} prompt`);
    expect(text(oneArea)).toMatch(/Responsible/);
    const who = await say(team.domain_expert, `who approves ${uc.key}`);
    expect(who.cards[0].title).toContain(uc.key);
  });

  it('show of a use case that does not exist names it', async () => {
    const r = await say(team.domain_expert, 'show UC-9999');
    expect(r.cards[0].title).toBe('Not found');
    expect(text(r)).toContain('UC-9999');
  });

  it('advance -> approvals -> approve by button: the stage moves once and the card loses its buttons', async () => {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Release notes drafter' });
    const adv = await say(team.llm_product_manager, `advance ${uc.key}`);
    const approval = (await t.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0];
    expect(approval.status).toBe('pending');
    expect(text(adv)).toContain(approval.key);

    // The requester cannot approve their own request.
    const self = await say(team.llm_product_manager, `approve ${approval.key}`);
    expect(self.cards[0].title).toBe('Not allowed');

    let decided = false;
    expect(approval.approverIds).not.toContain(approval.requesterId);
    for (const approverId of approval.approverIds) {
      const approver = (await t.ctx.repos.people.findById(approverId))!;
      const mine = await say(approver, 'approvals');
      if (!decided) expect(text(mine)).toContain(approval.key);
      const r = await press(approver, APPROVE_ACTION_ID, approval.key);
      expect(r.updated).toBeDefined();
      expect(buttonsOf(r.updated!).filter((b) => b.actionId === APPROVE_ACTION_ID)).toEqual([]);
      decided = (await t.ctx.repos.approvals.get(approval.key))!.status !== 'pending';
      if (decided) break;
    }
    const after = await t.ctx.repos.approvals.get(approval.key);
    expect(after!.status).toBe('approved');
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('prototype');
  });

  it('reject needs a reason: the one-liner without one is refused; the form records it and keeps the stage', async () => {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Meeting summariser' });
    await say(team.llm_product_manager, `advance ${uc.key}`);
    const approval = (await t.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0];
    const approver = (await t.ctx.repos.people.findById(approval.approverIds[0]))!;
    const noReason = await say(approver, `reject ${approval.key}`);
    expect(text(noReason)).toMatch(/reason/i);
    expect((await t.ctx.repos.approvals.get(approval.key))!.votes).toEqual([]);
    const open = await press(approver, OPEN_REJECT_FORM_ACTION_ID, approval.key);
    expect(open.form?.form?.id).toBe(REJECT_FORM_ID);
    const r = await convo.handle(approver, { kind: 'form', formId: REJECT_FORM_ID, values: { [REJECT_INPUTS.reason]: 'No evaluation plan yet' }, hidden: open.form!.form!.hidden });
    expect(r.formErrors).toBeUndefined();
    const after = await t.ctx.repos.approvals.get(approval.key);
    expect(after!.status).toBe('rejected');
    expect(after!.reasons.join(' ')).toContain('No evaluation plan yet');
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation');
  });

  it('incident one-liner, incident form with kill switch, incidents [open]', async () => {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Sales email helper' });
    const quick = await say(team.prompt_engineer, `incident ${uc.key} SEV2 the bot quoted jane.doe@example.com in a reply`);
    const incidents = await t.ctx.repos.incidents.list({ useCaseKey: uc.key });
    expect(incidents).toHaveLength(1);
    expect(incidents[0].severity).toBe('sev2');
    expect(incidents[0].description).not.toContain('jane.doe@example.com');
    expect(text(quick)).toContain(incidents[0].key);

    const form = await say(team.prompt_engineer, 'incident');
    expect(form.form?.form?.id).toBe(INCIDENT_FORM_ID);
    const r = await convo.handle(team.prompt_engineer, {
      kind: 'form',
      formId: INCIDENT_FORM_ID,
      values: {
        [INCIDENT_INPUTS.useCase]: uc.key,
        [INCIDENT_INPUTS.category]: 'prompt_injection',
        [INCIDENT_INPUTS.severity]: 'sev1',
        [INCIDENT_INPUTS.description]: 'A web page made the assistant ignore its instructions',
        [INCIDENT_INPUTS.killSwitch]: true,
      },
      hidden: {},
    });
    expect(r.formErrors).toBeUndefined();
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('suspended');
    expect(text(await say(team.ai_security_specialist, 'incidents open'))).toContain(incidents[0].key);
    expect(text(await say(team.ai_security_specialist, 'incidents'))).toContain(incidents[0].key);
  });

  it('models, model <name>, can UC-n use <model> with <class>', async () => {
    await registerApprovedGpuModel(t.ctx, team, 'conv-gpu-llama');
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Ticket tagger' });
    expect(text(await say(team.domain_expert, 'models'))).toContain('conv-gpu-llama');
    expect(text(await say(team.domain_expert, 'model CONV-GPU-LLAMA'))).toMatch(/Llama on GPU/);
    const yes = await say(team.domain_expert, `can ${uc.key} use conv-gpu-llama with internal`);
    expect(yes.cards[0].badge?.label).toBe('Allowed');
    const no = await say(team.domain_expert, `can ${uc.key} use conv-gpu-llama with personal`);
    expect(no.cards[0].badge?.label).toBe('Not allowed');
    expect(text(no)).toMatch(/personal/);
  });

  it('reviews, reviews overdue and review done (command and form)', async () => {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'high', { title: 'HR screening helper' });
    const done = await say(team.llm_product_manager, `review done ${uc.key} https://wiki.example.com/reviews/1`);
    expect(done.cards[0].badge?.label).toBe('Done');
    const fresh = await t.ctx.repos.useCases.get(uc.key);
    expect(fresh!.lastReviewAt).toBeDefined();
    expect(text(await say(team.llm_product_manager, 'reviews'))).toContain(uc.key);
    t.clock.advanceDays(400);
    expect(text(await say(team.llm_product_manager, 'reviews overdue'))).toContain(uc.key);
    const bad = await say(team.llm_product_manager, `review done ${uc.key} not-a-link`);
    expect(text(bad)).toMatch(/http/);
    const r = await convo.handle(team.llm_product_manager, {
      kind: 'form',
      formId: REVIEW_DONE_FORM_ID,
      values: { [REVIEW_DONE_INPUTS.evidenceUrl]: 'https://wiki.example.com/reviews/2', [REVIEW_DONE_INPUTS.attestation]: true },
      hidden: { useCaseKey: uc.key },
    });
    expect(r.formErrors).toBeUndefined();
    expect((await t.ctx.repos.reviews.list({ useCaseKey: uc.key })).filter((x) => x.completedAt)).toHaveLength(2);
  });

  it('kpis and audit verify', async () => {
    const k = await say(team.ai_coe_admin, 'kpis');
    expect(k.cards[0].title).toMatch(/KPI/);
    const a = await say(team.ai_coe_admin, 'audit verify');
    expect(a.cards[0].badge?.label).toBe('Verified');
  });

  it('eval run is refused for people who neither own the model nor run LLMOps', async () => {
    const r = await say(team.domain_expert, 'eval run conv-gpu-llama redteam');
    expect(r.cards[0].title).toBe('Not allowed');
  });

  it('long lists paginate with working page buttons', async () => {
    for (let i = 0; i < 12; i++) await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: `Bulk ${i}` });
    const first = await say(team.domain_expert, 'list');
    const next = first.cards[0].pagination;
    expect(next && next.pages).toBeGreaterThan(1);
    const page2 = await press(team.domain_expert, PAGE_ACTION_ID, JSON.stringify({ ...next!.value, page: 2 }));
    expect(page2.cards[0].pagination?.page).toBe(2);
  });
});

describe('every reply renders in all three channels', () => {
  it('renders the replies of a session through Block Kit, Adaptive Cards and HTML', async () => {
    const lines = ['help', 'list', 'approvals', 'incidents', 'models', 'reviews', 'kpis', 'audit verify', 'propose', 'incident'];
    for (const line of lines) {
      const r = await say(team.ai_coe_admin, line);
      for (const card of [...r.cards, ...(r.form ? [r.form] : [])]) {
        expect(cardToBlockKit(card).blocks.length).toBeGreaterThan(0);
        expect(cardToAdaptiveCard(card).type).toBe('AdaptiveCard');
        expect(cardToHtml(card)).toContain(card.title.slice(0, 10).replace(/&/g, '&amp;'));
      }
    }
  });
});

describe('kill switch from an incident card', () => {
  it('suspends the use case, marks the incident and leaves no kill-switch button', async () => {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Intranet search' });
    await say(team.domain_expert, `incident ${uc.key} sev3 answers cite a retired policy`);
    const [incident] = await t.ctx.repos.incidents.list({ useCaseKey: uc.key });
    expect(incident.killSwitch).toBe(false);
    const r = await press(team.domain_expert, 'steward.incident.kill_switch', incident.key);
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('suspended');
    const after = (await t.ctx.repos.incidents.get(incident.key))!;
    expect(after.killSwitch).toBe(true);
    expect(after.timeline.map((e) => e.kind)).toContain('kill_switch');
    expect(buttonsOf(r.cards[0]).map((b) => b.actionId)).not.toContain('steward.incident.kill_switch');
    const again = await press(team.domain_expert, 'steward.incident.kill_switch', incident.key);
    expect(again.cards[0].title).toBe('Could not do that');
  });
});
