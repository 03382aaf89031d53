/**
 * Keeping a use case true after proposal, through the conversation on the real database:
 * suspend/resume/retire, evidence, RACI changes, update (re-classification) and search.
 * Refusals come from the domain and must write nothing; new cards and forms render for
 * Slack, Teams and the console.
 */
import { REFUSAL_AUDIT_ACTION } from '../../src/conversation/handlers/auditRefusal';
import { expectRendersEverywhere } from '../support/renders';
import {
  EVIDENCE_FORM_ID,
  OPEN_EVIDENCE_FORM_ACTION_ID,
  OPEN_UPDATE_FORM_ACTION_ID,
  PAGE_ACTION_ID,
  RESUME_ACTION_ID,
  SUSPEND_ACTION_ID,
  UPDATE_FORM_ID,
} from '../../src/conversation/actions';
import { EVIDENCE_INPUTS } from '../../src/conversation/cards/forms/useCaseForms';
import { INTAKE_INPUTS, questionInputId } from '../../src/conversation/cards/forms/intakeForm';
import { listFilterFromString, listFilterToString } from '../../src/conversation/cards/useCaseList';
import { paginationButtons, type Card } from '../../src/conversation/cards/model';
import { isParseFailure, parseCommand } from '../../src/conversation/grammar';
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { ADMIN_ROLE } from '../../src/domain/people/actor';
import { getRaci } from '../../src/domain/raci/getRaci';
import { ensureReview } from '../../src/domain/schedules/ensureReview';
import type { Person, Stage, UseCase } from '../../src/domain/types';
import { routeEvents } from '../../src/notifications';
import { createDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext } from '../support/context';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { noDerogation, proposeTestUseCase } from '../support/usecases';
import { fixtureChange } from '../support/changes';

const t = useTestContext();
let team: Team;
let admin: Person;
let pm: Person;
let legal: Person;
let ada: Person;
let convo: Conversation;
let unroute: () => void = () => undefined;
let unexpected: unknown[] = [];

const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.title, c.subtitle, c.text, c.fields, c.sections, c.badge, c.context]));
const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const press = (who: Person, actionId: string, value: string) => convo.handle(who, { kind: 'action', actionId, value });
const submit = (who: Person, formId: string, values: Record<string, unknown>, hidden: Record<string, string>) =>
  convo.handle(who, { kind: 'form', formId, values, hidden });
const buttonsOf = (c: Card) => [...(c.buttons ?? []), ...(c.sections ?? []).flatMap((s) => s.buttons ?? [])];
const stored = async (key: string): Promise<UseCase> => (await t.ctx.repos.useCases.get(key))!;

/** Entries that record a change; a refused decision's own audit entry (auditRefusal.ts) changes nothing. */
async function auditCount(): Promise<number> {
  let n = 0;
  for await (const e of t.ctx.repos.audit.all()) if (e.action !== REFUSAL_AUDIT_ACTION) n++;
  return n;
}
async function lastAudit() {
  return (await t.ctx.repos.audit.last())!;
}

/** What a refusal must leave untouched: the use case, the audit trail, the emitted events. */
async function snapshot(key: string) {
  const { updatedAt: _u, ...uc } = await stored(key);
  return { uc: JSON.stringify(uc), audit: await auditCount(), events: t.events.length };
}

const expectRenders = expectRendersEverywhere;

/** A use case already in a later stage (the gates are tested elsewhere). */
async function inStage(stage: Stage, tier: 'minimal' | 'high' | 'prohibited' = 'minimal', title?: string): Promise<UseCase> {
  const uc = await proposeTestUseCase(t.ctx, pm.id, tier, title ? { title } : {});
  const moved = { ...uc, stage, stageEnteredAt: t.ctx.clock.now() };
  return (await t.ctx.repos.useCases.save(moved, fixtureChange('test.fixture', t.clock.now()))).record;
}

/** The values a channel sends back for a form nobody touched: every input's initial value. */
function initialValues(form: Card): Record<string, unknown> {
  return Object.fromEntries(form.form!.inputs.filter((i) => i.initial !== undefined).map((i) => [i.id, i.initial]));
}

beforeAll(async () => {
  unroute = routeEvents(t.ctx, createDeliveryRepository(t.ctx.conn));
  team = await registerTeam(t.ctx);
  admin = team[ADMIN_ROLE]!;
  pm = team.llm_product_manager!;
  legal = team.ai_governance_legal!;
  ada = await registerTestPerson(t.ctx, ['domain_expert'], 'Ada Lovelace');
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
});
afterAll(() => unroute());
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

describe('suspend, resume, retire', () => {
  it('suspend -> resume returns to the stage it was suspended from; the card swaps Suspend for Resume', async () => {
    const uc = await inStage('pilot');
    const r = await say(pm, `suspend ${uc.key.toLowerCase()} it quoted a customer's address`);
    expect(r.cards[0]!.title).toContain(uc.key);
    expect(await stored(uc.key)).toMatchObject({ stage: 'suspended', suspendedFrom: 'pilot' });
    const ids = buttonsOf(r.cards[0]!).map((b) => b.actionId);
    expect(ids).toContain(RESUME_ACTION_ID);
    expect(ids).not.toContain(SUSPEND_ACTION_ID);
    expect(r.cards[0]!.context).toContain(`resume ${uc.key}`);
    expectRenders(r.cards[0]!);

    const resumed = await press(legal, RESUME_ACTION_ID, uc.key);
    const after = await stored(uc.key);
    expect(after.stage).toBe('pilot');
    expect(after.suspendedFrom).toBeUndefined();
    expect(resumed.cards[0]!.context).toMatch(/back in Pilot/i);
    expect(buttonsOf(resumed.cards[0]!).map((b) => b.actionId)).toContain(SUSPEND_ACTION_ID);
    expect(await lastAudit()).toMatchObject({ action: 'usecase.resumed', subject: uc.key, actorId: legal.id, data: { to: 'pilot', reason: `Resumed from chat by ${legal.name}` } });
  });

  it("who may resume is the domain's call: the owner and a prompt engineer are refused, nothing is written", async () => {
    const uc = await inStage('production');
    await say(pm, `suspend ${uc.key} hallucinated refund amounts`);
    const before = await snapshot(uc.key);
    const owner = await say(pm, `resume ${uc.key} looks fine now`);
    expect(owner.cards[0]!.title).toBe('Not allowed');
    expect(text(owner)).toMatch(/Accountable for safety/);
    const button = await press(team.prompt_engineer!, RESUME_ACTION_ID, uc.key);
    expect(button.cards[0]!.title).toBe('Not allowed');
    expect(await snapshot(uc.key)).toEqual(before);

    // An AI security specialist may, with their own reason.
    await say(team.ai_security_specialist!, `resume ${uc.key} output filter fixed and tested`);
    expect((await stored(uc.key)).stage).toBe('production');
    expect(await lastAudit()).toMatchObject({ action: 'usecase.resumed', data: { reason: 'output filter fixed and tested' } });
    const again = await say(team.ai_security_specialist!, `resume ${uc.key}`);
    expect(again.cards[0]!.title).toBe('Could not do that');
    expect(text(again)).toMatch(/not suspended/);
  });

  it('suspend needs a reason and the right person', async () => {
    const uc = await inStage('pilot');
    const noReason = await say(pm, `suspend ${uc.key}`);
    expect(text(noReason)).toMatch(/a reason is required to suspend/);
    const before = await snapshot(uc.key);
    const refused = await say(team.prompt_engineer!, `suspend ${uc.key} I do not like it`);
    expect(refused.cards[0]!.title).toBe('Not allowed');
    expect(await snapshot(uc.key)).toEqual(before);
  });

  it('retire: the owner may, others are refused; a retired use case offers no Suspend, Resume or Update', async () => {
    const uc = await inStage('production');
    const before = await snapshot(uc.key);
    const refused = await say(team.domain_expert!, `retire ${uc.key} nobody uses it`);
    expect(refused.cards[0]!.title).toBe('Not allowed');
    expect(await snapshot(uc.key)).toEqual(before);
    const r = await say(pm, `retire ${uc.key} replaced by the new help centre`);
    expect((await stored(uc.key)).stage).toBe('retired');
    expect(r.cards[0]!.context).toMatch(/Retired: replaced by the new help centre/);
    const ids = buttonsOf(r.cards[0]!).map((b) => b.actionId);
    for (const id of [SUSPEND_ACTION_ID, RESUME_ACTION_ID, OPEN_UPDATE_FORM_ACTION_ID, OPEN_EVIDENCE_FORM_ACTION_ID]) expect(ids).not.toContain(id);
    expect((await say(pm, `retire ${uc.key} again`)).cards[0]!.title).toBe('Could not do that');
  });
});

describe('evidence', () => {
  it('attaches evidence by command; control ids are not case-sensitive and the note is kept', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    expect(uc.requiredControls).toContain('CTL-KILL-SWITCH');
    const r = await say(pm, `evidence ${uc.key} ctl-kill-switch https://wiki.example.com/kill-switch drill done on staging`);
    const after = await stored(uc.key);
    expect(after.evidence).toEqual([expect.objectContaining({ controlId: 'CTL-KILL-SWITCH', url: 'https://wiki.example.com/kill-switch', note: 'drill done on staging', by: pm.id })]);
    expect(r.cards[0]!.context).toContain(`1 of ${uc.requiredControls.length}`);
    expect(text(r)).toMatch(/✓ CTL-KILL-SWITCH/);
    expect(await lastAudit()).toMatchObject({ action: 'usecase.evidence_attached', subject: uc.key });
  });

  it('a control the use case does not owe is refused with the list of those it does; nothing is written', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const before = await snapshot(uc.key);
    for (const control of ['CTL-RISK-MANAGEMENT', 'ctl-nope']) {
      const r = await say(pm, `evidence ${uc.key} ${control} https://wiki.example.com/x`);
      expect(r.cards[0]!.title).toBe('That did not look right');
      expect(text(r)).toContain(`${control.toUpperCase()} is not a required control of ${uc.key}`);
      for (const id of uc.requiredControls) expect(text(r)).toContain(id);
      expect(text(r)).toContain(t.ctx.policy.controls.find((c) => c.id === 'CTL-KILL-SWITCH')!.title);
    }
    const stranger = await say(team.domain_expert!, `evidence ${uc.key} CTL-KILL-SWITCH https://wiki.example.com/x`);
    expect(stranger.cards[0]!.title).toBe('Not allowed');
    expect(text(await say(pm, `evidence ${uc.key} CTL-KILL-SWITCH ftp://files.example.com/x`))).toMatch(/http\(s\) link/);
    expect(await snapshot(uc.key)).toEqual(before);
  });

  it('the controls section opens an evidence form; a submission attaches, a bad link is refused on its field', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'high');
    const card = (await say(pm, `show ${uc.key}`)).cards[0]!;
    const attach = buttonsOf(card).find((b) => b.actionId === OPEN_EVIDENCE_FORM_ACTION_ID);
    expect(attach?.value).toBe(uc.key);
    const opened = await press(pm, OPEN_EVIDENCE_FORM_ACTION_ID, attach!.value);
    const form = opened.form!;
    expect(form.form!.id).toBe(EVIDENCE_FORM_ID);
    expect(form.form!.hidden).toEqual({ useCaseKey: uc.key });
    expect(form.form!.inputs.find((i) => i.id === EVIDENCE_INPUTS.control)!.options!.map((o) => o.value)).toEqual(uc.requiredControls);
    expectRenders(form);

    const before = await snapshot(uc.key);
    const badLink = await submit(pm, EVIDENCE_FORM_ID, { [EVIDENCE_INPUTS.control]: 'CTL-RISK-MANAGEMENT', [EVIDENCE_INPUTS.url]: 'wiki page' }, form.form!.hidden);
    expect(Object.keys(badLink.formErrors ?? {})).toEqual([EVIDENCE_INPUTS.url]);
    expect(await snapshot(uc.key)).toEqual(before);

    const done = await submit(pm, EVIDENCE_FORM_ID, { [EVIDENCE_INPUTS.control]: 'ctl-risk-management', [EVIDENCE_INPUTS.url]: 'https://wiki.example.com/risk' }, form.form!.hidden);
    expect(done.formErrors).toBeUndefined();
    expect((await stored(uc.key)).evidence.map((e) => e.controlId)).toEqual(['CTL-RISK-MANAGEMENT']);
    expect(done.cards[0]!.context).toMatch(/Evidence attached to CTL-RISK-MANAGEMENT/);
  });
});

describe('raci', () => {
  it("the area's Accountable hands accountability over by name; the card says who it was", async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    expect(uc.raci.find((r) => r.area === 'prompt_design')!.accountable).toEqual([pm.id]);
    const r = await say(pm, `raci ${uc.key} prompt accountable Ada Lovelace`);
    expect((await stored(uc.key)).raci.find((x) => x.area === 'prompt_design')!.accountable).toEqual([ada.id]);
    expect(r.cards[0]!.context).toContain('Ada Lovelace');
    expect(r.cards[0]!.context).toContain(`was ${pm.name}`);
    expect(await lastAudit()).toMatchObject({ action: 'raci.changed', subject: uc.key, data: { area: 'prompt_design', part: 'accountable', before: [pm.id], after: [ada.id] } });
    expectRenders(r.cards[0]!);

    // No longer Accountable there, the PM is refused; Ada (now Accountable) names people by mention and email.
    const before = await snapshot(uc.key);
    expect((await say(pm, `raci ${uc.key} prompt responsible ${ada.email}`)).cards[0]!.title).toBe('Not allowed');
    expect(await snapshot(uc.key)).toEqual(before);
    await say(ada, `raci ${uc.key} prompt responsible <@${team.prompt_engineer!.slackUserId}>, ${team.domain_expert!.email!.toUpperCase()}`);
    expect((await stored(uc.key)).raci.find((x) => x.area === 'prompt_design')!.responsible).toEqual([team.prompt_engineer!.id, team.domain_expert!.id]);
  });

  it('a non-Accountable non-admin is refused and nothing is written', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const before = await snapshot(uc.key);
    const r = await say(team.prompt_engineer!, `raci ${uc.key} model accountable ${team.prompt_engineer!.email}`);
    expect(r.cards[0]!.title).toBe('Not allowed');
    expect(text(r)).toMatch(/Only the Accountable for model_selection or an AI CoE admin/);
    expect(await snapshot(uc.key)).toEqual(before);
  });

  it('exactly one Accountable: two people, or none, are refused; other parts may be cleared', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const before = await snapshot(uc.key);
    for (const people of [`${ada.email}, ${legal.email}`, 'none']) {
      const r = await say(admin, `raci ${uc.key} safety accountable ${people}`);
      expect(r.cards[0]!.title).toBe('That did not look right');
      expect(text(r)).toMatch(/Exactly one person must be Accountable for safety_compliance/);
    }
    const unknown = await say(admin, `raci ${uc.key} safety accountable nobody-known@example.com`);
    expect(unknown.cards[0]!.title).toBe('Not found');
    expect(await snapshot(uc.key)).toEqual(before);
    await say(admin, `raci ${uc.key} ux informed none`);
    expect((await stored(uc.key)).raci.find((x) => x.area === 'user_experience')!.informed).toEqual([]);
    // Showing still works, and says how to change it.
    const shown = await say(team.domain_expert!, `raci ${uc.key} ux`);
    expect(shown.cards[0]!.title).toContain(`RACI · ${uc.key}`);
    expect(shown.cards[0]!.context).toContain(`raci ${uc.key} user_experience responsible|accountable`);
  });

  it('the missing-Accountable warning quotes a command that parses', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    await t.ctx.repos.useCases.save({ ...uc, raci: uc.raci.map((r) => (r.area === 'safety_compliance' ? { ...r, accountable: [] } : r)) }, fixtureChange('test.fixture', t.clock.now()));
    const view = await getRaci(t.ctx, { useCaseKey: uc.key, area: 'safety_compliance' });
    const quoted = /`([^`]+)`/.exec(view.warnings[0]!)![1]!;
    expect(quoted).toBe(`raci ${uc.key} safety_compliance accountable <email|name>`);
    const parsed = parseCommand(quoted.replace('<email|name>', legal.email!), { raciAreas: t.ctx.policy.raci.map((a) => ({ id: a.id, name: a.name })) });
    expect(isParseFailure(parsed) ? parsed.message : parsed).toMatchObject({ name: 'raci_assign', area: 'safety_compliance', part: 'accountable' });
  });
});

describe('update', () => {
  it('opens the intake form filled in, and a changed answer re-classifies, announces the tier and reschedules the review', async () => {
    const uc = await inStage('pilot', 'minimal', 'Meeting notes summariser');
    const sctx = { ...t.ctx, deliveries: createDeliveryRepository(t.ctx.conn) };
    const firstReview = (await ensureReview(sctx, { useCase: await stored(uc.key) }))!;
    expect(firstReview.tier).toBe('minimal');

    const opened = await say(pm, `update ${uc.key}`);
    const form = opened.form!;
    expect(form.form!.id).toBe(UPDATE_FORM_ID);
    expect(form.form!.hidden).toEqual({ useCaseKey: uc.key });
    const input = (id: string) => form.form!.inputs.find((i) => i.id === id)!;
    expect(input(INTAKE_INPUTS.title).initial).toBe('Meeting notes summariser');
    expect(input(questionInputId('annex_iii_areas')).initial).toEqual(['none']);
    expect(input(questionInputId('safety_component')).initial).toBe('no');
    expect(input(questionInputId('data_classes')).initial).toEqual(['internal']);
    expectRenders(form);

    // Unchanged: nothing is written.
    const before = await snapshot(uc.key);
    const same = await submit(pm, UPDATE_FORM_ID, initialValues(form), form.form!.hidden);
    expect(same.cards[0]!.context).toMatch(/Nothing changed/);
    expect(await snapshot(uc.key)).toEqual(before);

    // Someone who may not edit it: refused on the form, nothing written.
    const values = {
      ...initialValues(form),
      [questionInputId('annex_iii_areas')]: ['employment_recruitment'],
      [questionInputId('data_classes')]: ['personal'],
      // The Art. 6(3) follow-ups an Annex III use asks (check boxes: they are asked only then): not claimed.
      ...Object.fromEntries(Object.entries(noDerogation).map(([k, v]) => [questionInputId(k), v])),
    };
    const refused = await submit(team.domain_expert!, UPDATE_FORM_ID, values, form.form!.hidden);
    expect(refused.formErrors?._form).toMatch(/Only the owner, the proposer or an AI CoE admin/);
    expect(await snapshot(uc.key)).toEqual(before);

    const done = await submit(pm, UPDATE_FORM_ID, values, form.form!.hidden);
    expect(done.formErrors).toBeUndefined();
    const after = await stored(uc.key);
    expect(after.tier).toBe('high');
    expect(after.answers.annex_iii_areas).toEqual(['employment_recruitment']);
    expect(after.requiredControls).toContain('CTL-RISK-MANAGEMENT');
    expect(done.cards[0]!.subtitle).toBe('Risk tier changed: Minimal risk → High risk');
    expect(done.cards[0]!.context).toMatch(/Updated answers\. Now required: .*CTL-RISK-MANAGEMENT/);
    // The use case's own newest version (its reaction, the review rescheduled, is written after it).
    expect(await t.ctx.repos.audit.head(`usecase:${uc.key}`)).toMatchObject({ action: 'usecase.updated', data: { fields: ['answers'], tierFrom: 'minimal', tierTo: 'high' } });
    expect(await lastAudit()).toMatchObject({ action: 'review.rescheduled' });
    expect(t.events.some((e) => e.type === 'usecase.tier_changed' && 'useCaseKey' in e && e.useCaseKey === uc.key)).toBe(true);
    const open = (await t.ctx.repos.reviews.list({ useCaseKey: uc.key })).filter((r) => !r.completedAt);
    expect(open).toHaveLength(1);
    expect(open[0]!.tier).toBe('high');
    expect(open[0]!.dueAt.getTime()).toBeLessThan(firstReview.dueAt.getTime());
  });

  it('the card offers Update answers, and a prohibited use case is told to use update UC-n', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'prohibited');
    const card = (await say(pm, `show ${uc.key}`)).cards[0]!;
    const button = buttonsOf(card).find((b) => b.actionId === OPEN_UPDATE_FORM_ACTION_ID)!;
    expect((await press(pm, button.actionId, button.value)).form?.form?.id).toBe(UPDATE_FORM_ID);
    const refused = await say(pm, `advance ${uc.key}`);
    expect(refused.cards[0]!.title).toBe('Not allowed');
    expect(text(refused)).toContain(`update ${uc.key}`);
    const parsed = parseCommand(`update ${uc.key}`);
    expect(isParseFailure(parsed)).toBe(false);
  });
});

describe('search', () => {
  it('finds use cases by words in their title, page by page, with the search on the page buttons', async () => {
    for (let i = 1; i <= 12; i++) await proposeTestUseCase(t.ctx, pm.id, 'minimal', { title: `Quokka invoice matcher ${i}` });
    await proposeTestUseCase(t.ctx, pm.id, 'minimal', { title: 'Unrelated thing' });
    const first = await say(team.domain_expert!, 'search quokka invoice');
    const card = first.cards[0]!;
    expect(card.title).toBe('Use cases matching "quokka invoice" (12)');
    expect(card.sections).toHaveLength(10);
    expect(card.pagination?.value).toEqual({ list: 'usecases', page: 1, filter: 'text:quokka invoice' });
    expectRenders(card);
    const next = paginationButtons(card.pagination!).find((b) => b.label.startsWith('Next'))!;
    const second = await press(team.domain_expert!, PAGE_ACTION_ID, next.value);
    expect(second.cards[0]!.title).toBe(card.title);
    expect(second.cards[0]!.sections).toHaveLength(2);
    expect(second.cards[0]!.sections!.every((s) => s.title!.includes('Quokka invoice matcher'))).toBe(true);

    const none = await say(team.domain_expert!, 'search wombat');
    expect(none.cards[0]!.title).toBe('Use cases matching "wombat" (0)');
    expect(text(none)).toMatch(/No use case has these words/);
  });

  it('a search filter survives the page button round trip, colons included', () => {
    const filter = { kind: 'text' as const, text: 'ratio: 3:1' };
    expect(listFilterFromString(listFilterToString(filter))).toEqual(filter);
  });
});
