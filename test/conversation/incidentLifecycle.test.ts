/**
 * An incident past "reported", through the conversation on the real database: the status
 * lifecycle by the people allowed to move it, refusals that write nothing, redacted notes,
 * the serious flag counted from the day of awareness, and the Art. 73 report that stops the
 * reminders. New cards go through the Slack, Teams and console renderers.
 */
import { REFUSAL_AUDIT_ACTION } from '../../src/conversation/handlers/auditRefusal';
import { expectRendersEverywhere } from '../support/renders';
import {
  ART73_FORM_ID,
  INCIDENT_FORM_ID,
  INCIDENT_STATUS_ACTION_ID,
  OPEN_ART73_FORM_ACTION_ID,
  decodeValue,
} from '../../src/conversation/actions';
import { ART73_INPUTS } from '../../src/conversation/cards/forms/art73ReportForm';
import { INCIDENT_INPUTS, SERIOUS_INPUT_PREFIX } from '../../src/conversation/cards/forms/incidentForm';
import type { Button, Card } from '../../src/conversation/cards/model';
import { COMMAND_CATALOGUE } from '../../src/conversation/grammar';
import { INCIDENT_LIFECYCLE_NAMES } from '../../src/conversation/grammar/incidentCommands';
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { formatUtc } from '../../src/domain/schedules/dates';
import { sweepSeriousIncidents } from '../../src/domain/schedules/sweepSeriousIncidents';
import type { Incident, Person, UseCase } from '../../src/domain/types';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
const DAY = 86_400_000;
let team: Team;
let convo: Conversation;
let uc: UseCase;
let unexpected: unknown[] = [];

const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.title, c.subtitle, c.text, c.fields, c.sections, c.badge, c.context]));
const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const press = (who: Person, actionId: string, value: string) => convo.handle(who, { kind: 'action', actionId, value });
const submit = (who: Person, formId: string, values: Record<string, unknown>, hidden: Record<string, string> = {}) =>
  convo.handle(who, { kind: 'form', formId, values, hidden });
const buttonsOf = (c: Card): Button[] => [...(c.buttons ?? []), ...(c.sections ?? []).flatMap((s) => s.buttons ?? [])];
const statusButtons = (r: Reply) =>
  buttonsOf(r.cards[0]!)
    .filter((b) => b.actionId === INCIDENT_STATUS_ACTION_ID)
    .map((b) => ({ label: b.label, ...(decodeValue(b.value) as { key: string; status: string }) }));
const get = async (key: string): Promise<Incident> => (await t.ctx.repos.incidents.get(key))!;

/** Entries that record a change; a refused decision's own audit entry (auditRefusal.ts) changes nothing. */
async function auditCount(): Promise<number> {
  let n = 0;
  for await (const e of t.ctx.repos.audit.all()) if (e.action !== REFUSAL_AUDIT_ACTION) n++;
  return n;
}

/** What a refusal must leave untouched: the incident as stored, the audit trail and the events. */
async function snapshot(key: string) {
  return { incident: JSON.stringify(await get(key)), audit: await auditCount(), events: t.events.length };
}

async function report(who: Person, line = 'the bot quoted an internal price list'): Promise<Incident> {
  const before = new Set((await t.ctx.repos.incidents.list()).map((i) => i.key));
  await say(who, `incident ${uc.key} sev2 ${line}`);
  const created = (await t.ctx.repos.incidents.list()).filter((i) => !before.has(i.key));
  expect(created).toHaveLength(1);
  return created[0]!;
}

const expectRenders = expectRendersEverywhere;

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
  uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Pricing assistant' });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

describe('status lifecycle', () => {
  it('reported -> triaged -> mitigating -> resolved -> closed, by command and by button', async () => {
    const incident = await report(team.domain_expert);
    const security = team.ai_security_specialist!;
    const admin = team.ai_coe_admin!;

    // The card offers the next step to someone who may move it.
    const shown = await say(security, `incident ${incident.key.toLowerCase()}`);
    expect(shown.cards[0]!.title).toContain(incident.key);
    expect(statusButtons(shown)).toEqual([{ label: 'Triage', key: incident.key, status: 'triaged' }]);

    const triaged = await say(security, `incident ${incident.key} status triaged looking at the logs`);
    expect((await get(incident.key)).status).toBe('triaged');
    expect(triaged.cards[0]!.context).toMatch(/now triaged/);
    expect(statusButtons(triaged).map((b) => b.status)).toEqual(['mitigating']);

    // Pressing the button the card offers moves it on.
    const button = buttonsOf(triaged.cards[0]!).find((b) => b.actionId === INCIDENT_STATUS_ACTION_ID)!;
    const mitigating = await press(admin, button.actionId, button.value);
    expect((await get(incident.key)).status).toBe('mitigating');
    expect(statusButtons(mitigating).map((b) => b.label)).toEqual(['Resolve']);

    await say(admin, `incident ${incident.key} resolve rolled back the prompt`);
    const resolved = await get(incident.key);
    expect(resolved.status).toBe('resolved');
    expect(statusButtons(await say(admin, `incident ${incident.key}`)).map((b) => b.status)).toEqual(['closed', 'mitigating']);

    const close = statusButtons(await say(security, `incident ${incident.key}`)).find((b) => b.status === 'closed')!;
    const closed = await press(security, INCIDENT_STATUS_ACTION_ID, JSON.stringify({ key: close.key, status: close.status }));
    const after = await get(incident.key);
    expect(after.status).toBe('closed');
    expect(statusButtons(closed)).toEqual([]);
    expect(after.timeline.filter((e) => e.kind === 'status').map((e) => e.text)).toEqual([
      'Status reported -> triaged: looking at the logs',
      'Status triaged -> mitigating',
      'Status mitigating -> resolved: rolled back the prompt',
      'Status resolved -> closed',
    ]);
    expect(t.events.filter((e) => e.type === 'incident.updated' && e.incidentKey === incident.key).map((e) => (e as { status: string }).status)).toEqual([
      'triaged',
      'mitigating',
      'resolved',
      'closed',
    ]);
    expectRenders(closed.cards[0]!);
  });

  it('refuses an out-of-order move and a person who may not move it, writing nothing', async () => {
    const incident = await report(team.domain_expert);
    const security = team.ai_security_specialist!;
    const outsider = team.prompt_engineer!;
    expect(incident.ownerId).not.toBe(outsider.id);

    // Someone who may not move it sees no status buttons and is refused when typing.
    expect(statusButtons(await say(outsider, `incident ${incident.key}`))).toEqual([]);
    let before = await snapshot(incident.key);
    const refused = await say(outsider, `incident ${incident.key} status triaged`);
    expect(refused.cards[0]!.title).toBe('Not allowed');
    expect(refused.refusal?.code).toBe('incident.status_forbidden');
    expect(await snapshot(incident.key)).toEqual(before);

    await say(security, `incident ${incident.key} status mitigating`);
    before = await snapshot(incident.key);
    const back = await say(security, `incident ${incident.key} status triaged`);
    expect(back.cards[0]!.title).toBe('Could not do that');
    expect(text(back)).toMatch(/is mitigating; it cannot move to triaged/);
    expect(await snapshot(incident.key)).toEqual(before);

    // A stale or forged button is refused the same way.
    const forged = await press(security, INCIDENT_STATUS_ACTION_ID, JSON.stringify({ key: incident.key, status: 'reported' }));
    expect(forged.refusal?.code).toBe('incident.bad_transition');
    const junk = await press(security, INCIDENT_STATUS_ACTION_ID, 'INC-1');
    expect(junk.refusal?.code).toBe('action.bad_value');
    expect(await snapshot(incident.key)).toEqual(before);

    // The grammar refuses a status that does not exist before anything reaches the domain.
    const typo = await say(security, `incident ${incident.key} status fixed`);
    expect(text(typo)).toMatch(/expected a status: triaged, mitigating, resolved or closed/);
    expect(await snapshot(incident.key)).toEqual(before);
  });
});

describe('notes', () => {
  it('a note is stored redacted; the reporter may add one, an outsider may not', async () => {
    const incident = await report(team.domain_expert);
    const r = await say(team.domain_expert, `incident ${incident.key} note customer jane.roe@example.com called again, key sk-proj-abcdefghijklmnop1234`);
    expect(r.cards[0]!.context).toMatch(/Note added/);
    const after = await get(incident.key);
    const note = after.timeline.at(-1)!;
    expect(note.kind).toBe('note');
    expect(note.text).not.toContain('jane.roe@example.com');
    expect(note.text).not.toContain('sk-proj-abcdefghijklmnop1234');
    expect(note.text).toContain('[REDACTED:email]');
    expect(after.redactions).toEqual(expect.arrayContaining(['email', 'api_key']));
    expect(text(r)).not.toContain('jane.roe@example.com');

    // A status note is redacted as well.
    await say(team.ai_security_specialist!, `incident ${incident.key} triage emailed bob@example.org`);
    expect((await get(incident.key)).timeline.at(-1)!.text).toBe('Status reported -> triaged: emailed [REDACTED:email]');

    const before = await snapshot(incident.key);
    const refused = await say(team.data_science_ml!, `incident ${incident.key} note I have a theory`);
    expect(refused.refusal?.code).toBe('incident.note_forbidden');
    expect(await snapshot(incident.key)).toEqual(before);
  });
});

describe('serious incidents and the Art. 73 report', () => {
  const days = () => t.ctx.policy.incidents.serious.deadlinesDays;

  it('the deadline counts from the day of awareness, per basis, from the policy', async () => {
    const legal = team.ai_governance_legal!;
    const now = t.clock.now();
    const cases: [string, keyof ReturnType<typeof days>][] = [
      ['general', 'general'],
      ['widespread', 'widespread_or_critical_infrastructure'],
      ['critical-infrastructure', 'widespread_or_critical_infrastructure'],
      ['death', 'death'],
    ];
    for (const [word, basis] of cases) {
      const incident = await report(team.domain_expert);
      const r = await say(legal, `incident ${incident.key} serious ${word} aware 2026-08-28`);
      const serious = (await get(incident.key)).serious!;
      expect(serious.basis).toBe(basis);
      expect(serious.awareAt.toISOString()).toBe('2026-08-28T00:00:00.000Z');
      expect(serious.deadline.getTime()).toBe(Date.parse('2026-08-28T00:00:00Z') + days()[basis] * DAY);
      expect(r.cards[0]!.context).toContain(formatUtc(serious.deadline));
    }
    // The policy's days are those of Art. 73(2)-(4) (checked against the reference in the playbook tests).
    expect(days()).toEqual({ general: 15, widespread_or_critical_infrastructure: 2, death: 10 });

    // Without a day, awareness is now.
    const plain = await report(team.domain_expert);
    await say(legal, `incident ${plain.key} serious general`);
    expect((await get(plain.key)).serious!.awareAt.getTime()).toBe(now.getTime());

    // A day that has not come yet is refused and nothing is written.
    const future = await report(team.domain_expert);
    const before = await snapshot(future.key);
    const refused = await say(legal, `incident ${future.key} serious death aware 2026-09-02`);
    expect(refused.refusal?.code).toBe('incident.aware_in_future');
    expect(await snapshot(future.key)).toEqual(before);

    // Only the owner, legal or the CoE may flag it.
    const denied = await say(team.prompt_engineer!, `incident ${future.key} serious general`);
    expect(denied.refusal?.code).toBe('incident.serious_forbidden');
    expect(await snapshot(future.key)).toEqual(before);
  });

  it('recording the report by command stops the reminders and lets the incident close', async () => {
    const deliveries: MongoDeliveryRepository = createDeliveryRepository(t.ctx.conn);
    await deliveries.init();
    const sctx = { ...t.ctx, deliveries };
    const legal = team.ai_governance_legal!;
    const security = team.ai_security_specialist!;
    const start = t.clock.now();
    try {
      const incident = await report(team.domain_expert);
      await say(legal, `incident ${incident.key} serious widespread`);
      const remindersFor = async () => (await deliveries.list()).filter((d) => d.key.startsWith(`art73.reminder:${incident.key}:`)).length;

      // A CoE admin may move it but not record the report (legal or the owner); legal sees the button.
      const admin = team.ai_coe_admin!;
      expect(incident.ownerId).not.toBe(admin.id);
      const legalView = await say(legal, `incident ${incident.key}`);
      expect(buttonsOf(legalView.cards[0]!).map((b) => b.actionId)).toContain(OPEN_ART73_FORM_ACTION_ID);
      expect(buttonsOf((await say(admin, `incident ${incident.key}`)).cards[0]!).map((b) => b.actionId)).not.toContain(OPEN_ART73_FORM_ACTION_ID);
      const before = await snapshot(incident.key);
      const denied = await say(admin, `incident ${incident.key} report submitted MSA-1`);
      expect(denied.refusal?.code).toBe('incident.report_forbidden');
      expect(await snapshot(incident.key)).toEqual(before);

      // Not closable while the report is outstanding: no Close button, and typing it is refused.
      await say(security, `incident ${incident.key} resolve`);
      const resolvedCard = await say(security, `incident ${incident.key}`);
      expect(statusButtons(resolvedCard).map((b) => b.status)).toEqual(['mitigating']);
      expect((await say(security, `incident ${incident.key} close`)).refusal?.code).toBe('incident.report_outstanding');

      // Halfway to the deadline the sweep reminds.
      t.clock.advanceMs(1.1 * DAY);
      await sweepSeriousIncidents(sctx);
      const reminded = await remindersFor();
      expect(reminded).toBeGreaterThan(0);

      const done = await say(legal, `incident ${incident.key} report submitted MSA-2026-114 / eu`);
      const stored = (await get(incident.key)).serious!;
      expect(stored.reportRef).toBe('MSA-2026-114 / eu');
      expect(stored.reportSubmittedAt!.getTime()).toBe(t.clock.now().getTime());
      expect(text(done)).toContain('ref MSA-2026-114 / eu');
      expect(buttonsOf(done.cards[0]!).map((b) => b.actionId)).not.toContain(OPEN_ART73_FORM_ACTION_ID);

      // Past the 80 % and the deadline moments: nothing more is queued for it.
      t.clock.advanceMs(1.5 * DAY);
      await sweepSeriousIncidents(sctx);
      expect(await remindersFor()).toBe(reminded);

      const again = await say(legal, `incident ${incident.key} report submitted MSA-2`);
      expect(again.refusal?.code).toBe('incident.report_already_submitted');
      await say(security, `incident ${incident.key} close`);
      expect((await get(incident.key)).status).toBe('closed');
    } finally {
      t.clock.set(start);
    }
  });

  it('the "Record Art. 73 report" button opens a form whose day counts, never a future one', async () => {
    const legal = team.ai_governance_legal!;
    const incident = await report(team.domain_expert);
    await say(legal, `incident ${incident.key} serious widespread aware 2026-08-28`);
    const card = (await say(legal, `incident ${incident.key}`)).cards[0]!;
    const button = buttonsOf(card).find((b) => b.actionId === OPEN_ART73_FORM_ACTION_ID)!;
    expect(button.label).toBe('Record Art. 73 report');
    expectRenders(card);

    const opened = await press(legal, button.actionId, button.value);
    const form = opened.form!;
    expect(form.form!.id).toBe(ART73_FORM_ID);
    expect(form.form!.hidden).toEqual({ incidentKey: incident.key });
    expect(form.form!.inputs.find((i) => i.id === ART73_INPUTS.submittedOn)!.initial).toBe('2026-09-01');
    expectRenders(form);

    // Which report it was is picked, never preselected (Art. 73(5): initial, then complete).
    expect(form.form!.inputs.find((i) => i.id === ART73_INPUTS.kind)).toMatchObject({ kind: 'select', required: true, options: [{ value: 'initial' }, { value: 'complete' }] });
    expect(form.form!.inputs.find((i) => i.id === ART73_INPUTS.kind)!.initial).toBeUndefined();

    const before = await snapshot(incident.key);
    const complete = { [ART73_INPUTS.kind]: 'complete' };
    const future = await submit(legal, ART73_FORM_ID, { ...complete, [ART73_INPUTS.reference]: 'MSA-9', [ART73_INPUTS.submittedOn]: '2026-09-02' }, form.form!.hidden);
    expect(future.formErrors).toEqual({ [ART73_INPUTS.submittedOn]: 'Submitted on: the day cannot be in the future.' });
    const noRef = await submit(legal, ART73_FORM_ID, { ...complete, [ART73_INPUTS.submittedOn]: '2026-08-29' }, form.form!.hidden);
    expect(noRef.formErrors).toEqual({ [ART73_INPUTS.reference]: 'Report reference: required' });
    const noKind = await submit(legal, ART73_FORM_ID, { [ART73_INPUTS.reference]: 'MSA-9', [ART73_INPUTS.submittedOn]: '2026-08-29' }, form.form!.hidden);
    expect(noKind.formErrors).toEqual({ [ART73_INPUTS.kind]: 'Report: choose initial or complete' });
    const badKind = await submit(legal, ART73_FORM_ID, { [ART73_INPUTS.kind]: 'final', [ART73_INPUTS.reference]: 'MSA-9', [ART73_INPUTS.submittedOn]: '2026-08-29' }, form.form!.hidden);
    expect(badKind.formErrors).toEqual({ [ART73_INPUTS.kind]: 'Report: choose initial or complete' });
    expect(await snapshot(incident.key)).toEqual(before);

    // Sent on 29 August, within the two days that ran from 28 August; recorded today.
    const r = await submit(legal, ART73_FORM_ID, { ...complete, [ART73_INPUTS.reference]: 'MSA-77', [ART73_INPUTS.submittedOn]: '2026-08-29' }, form.form!.hidden);
    expect(r.formErrors).toBeUndefined();
    const serious = (await get(incident.key)).serious!;
    expect(serious.reportRef).toBe('MSA-77');
    expect(serious.reportSubmittedAt!.toISOString()).toBe('2026-08-29T23:59:59.999Z');
    expect((await get(incident.key)).timeline.at(-1)!.text).toBe('Art. 73 report submitted on 2026-08-29 (MSA-77).');

    // The button is gone; opening the form again is refused.
    expect(buttonsOf(r.cards[0]!).map((b) => b.actionId)).not.toContain(OPEN_ART73_FORM_ACTION_ID);
    expect((await press(legal, OPEN_ART73_FORM_ACTION_ID, incident.key)).refusal?.code).toBe('incident.report_already_submitted');
  });

  it('an initial report picked in the form meets the deadline but keeps the clock for the complete one (Art. 73(5))', async () => {
    const deliveries: MongoDeliveryRepository = createDeliveryRepository(t.ctx.conn);
    await deliveries.init();
    const sctx = { ...t.ctx, deliveries };
    const legal = team.ai_governance_legal!;
    const start = t.clock.now();
    try {
      const incident = await report(team.domain_expert);
      await say(legal, `incident ${incident.key} serious general`);
      const completeReminders = async () => (await deliveries.list()).filter((d) => d.key.startsWith(`art73.complete:${incident.key}:`)).length;
      const open = async () => (await press(legal, OPEN_ART73_FORM_ACTION_ID, incident.key)).form!;
      const today = () => t.clock.now().toISOString().slice(0, 10);

      const first = await open();
      expect(first.text).toContain('reminders continue until the complete one is recorded (Art. 73(5))');
      const initial = await submit(legal, ART73_FORM_ID, { [ART73_INPUTS.kind]: 'initial', [ART73_INPUTS.reference]: 'MSA-I-1', [ART73_INPUTS.submittedOn]: today() }, first.form!.hidden);
      expect(initial.formErrors).toBeUndefined();
      expect(text(initial)).toContain('Initial Art. 73 report recorded (MSA-I-1); reminders continue until the complete report is recorded.');

      // Written once through the write model: the initial fields, a timeline entry, its history version.
      const stored = await get(incident.key);
      expect(stored.serious).toMatchObject({ initialReportRef: 'MSA-I-1' });
      expect(stored.serious!.reportSubmittedAt).toBeUndefined();
      expect(stored.timeline.at(-1)).toMatchObject({ kind: 'report_submitted', by: legal.id, text: `Initial Art. 73 report submitted on ${today()} (MSA-I-1); the complete report is still due (Art. 73(5)).` });
      expect((await t.ctx.repos.audit.history(`incident:${incident.key}`)).map((e) => e.action).filter((a) => a.includes('report_submitted'))).toEqual(['incident.initial_report_submitted']);

      // The card says the complete report is still due, the button asks for it, the form offers only it.
      const card = (await say(legal, `incident ${incident.key}`)).cards[0]!;
      expect(text({ cards: [card] })).toContain('the complete report is still outstanding (Art. 73(5))');
      expect(buttonsOf(card).find((b) => b.actionId === OPEN_ART73_FORM_ACTION_ID)!.label).toBe('Record complete Art. 73 report');
      expectRenders(card);
      const second = await open();
      expect(second.form!.inputs.find((i) => i.id === ART73_INPUTS.kind)).toMatchObject({ options: [{ value: 'complete' }], initial: 'complete' });
      expectRenders(second);
      // A second initial report (a form opened before the first was recorded) is refused and writes nothing.
      const before = await snapshot(incident.key);
      const twice = await submit(legal, ART73_FORM_ID, { [ART73_INPUTS.kind]: 'initial', [ART73_INPUTS.reference]: 'MSA-I-2', [ART73_INPUTS.submittedOn]: today() }, first.form!.hidden);
      expect(twice.refusal?.code).toBe('incident.initial_already_submitted');
      expect(await snapshot(incident.key)).toEqual(before);

      // The clock is not stopped: a week on, the complete report is reminded.
      t.clock.advanceMs(7.2 * DAY);
      await sweepSeriousIncidents(sctx);
      const reminded = await completeReminders();
      expect(reminded).toBeGreaterThan(0);

      const complete = await submit(legal, ART73_FORM_ID, { [ART73_INPUTS.kind]: 'complete', [ART73_INPUTS.reference]: 'MSA-C-1', [ART73_INPUTS.submittedOn]: today() }, second.form!.hidden);
      expect(complete.formErrors).toBeUndefined();
      expect(text(complete)).toContain('Complete report');
      expect((await get(incident.key)).serious).toMatchObject({ initialReportRef: 'MSA-I-1', reportRef: 'MSA-C-1' });
      // Now the reminders stop.
      t.clock.advanceMs(7.2 * DAY);
      await sweepSeriousIncidents(sctx);
      expect(await completeReminders()).toBe(reminded);
    } finally {
      t.clock.set(start);
    }
  });
});

describe('the incident form: "Aware since"', () => {
  const question = () => t.ctx.policy.incidents.serious.questions[0]!;

  it('defaults to today, and the day picked drives the Art. 73 deadline', async () => {
    const opened = await say(team.domain_expert, `incident ${uc.key}`);
    const aware = opened.form!.form!.inputs.find((i) => i.id === INCIDENT_INPUTS.awareSince)!;
    expect(aware).toMatchObject({ kind: 'date', initial: '2026-09-01' });
    expectRenders(opened.form!);

    const q = question();
    const r = await submit(team.domain_expert, INCIDENT_FORM_ID, {
      [INCIDENT_INPUTS.useCase]: uc.key,
      [INCIDENT_INPUTS.category]: t.ctx.policy.incidents.categories[0]!.id,
      [INCIDENT_INPUTS.severity]: 'sev1',
      [INCIDENT_INPUTS.description]: 'Found in last week’s logs: the assistant gave a harmful answer',
      [INCIDENT_INPUTS.awareSince]: '2026-08-25',
      [`${SERIOUS_INPUT_PREFIX}${q.id}`]: true,
    });
    expect(r.formErrors).toBeUndefined();
    const key = /INC-\d+/.exec(r.cards[0]!.title)![0];
    const serious = (await get(key)).serious!;
    expect(serious.basis).toBe(q.basis);
    expect(serious.awareAt.toISOString()).toBe('2026-08-25T00:00:00.000Z');
    expect(serious.deadline.getTime()).toBe(Date.parse('2026-08-25T00:00:00Z') + t.ctx.policy.incidents.serious.deadlinesDays[q.basis] * DAY);
  });

  it('a future or malformed day is refused at the input and no incident is created', async () => {
    const count = (await t.ctx.repos.incidents.list()).length;
    const values = {
      [INCIDENT_INPUTS.useCase]: uc.key,
      [INCIDENT_INPUTS.category]: t.ctx.policy.incidents.categories[0]!.id,
      [INCIDENT_INPUTS.severity]: 'sev3',
      [INCIDENT_INPUTS.description]: 'Something odd',
      [`${SERIOUS_INPUT_PREFIX}${question().id}`]: true,
    };
    const future = await submit(team.domain_expert, INCIDENT_FORM_ID, { ...values, [INCIDENT_INPUTS.awareSince]: '2026-09-02' });
    expect(future.formErrors).toEqual({ [INCIDENT_INPUTS.awareSince]: 'Aware since: the day cannot be in the future.' });
    const bad = await submit(team.domain_expert, INCIDENT_FORM_ID, { ...values, [INCIDENT_INPUTS.awareSince]: '2026-02-30' });
    expect(bad.formErrors?.[INCIDENT_INPUTS.awareSince]).toMatch(/^Aware since: expected a real date/);
    expect((await t.ctx.repos.incidents.list()).length).toBe(count);
  });
});

describe('help', () => {
  it('lists the new incident commands, and help incident explains them', async () => {
    const usages = COMMAND_CATALOGUE.filter((e) => (INCIDENT_LIFECYCLE_NAMES as readonly string[]).includes(e.name)).map((e) => e.usage);
    expect(usages).toEqual([
      'incident INC-n',
      'incident INC-n status <triaged|mitigating|resolved|closed> [note]',
      'incident INC-n note <text>',
      'incident INC-n serious <general|widespread|critical-infrastructure|death> [aware YYYY-MM-DD]',
      'incident INC-n report <submitted|initial|complete> <reference>',
      'incident INC-n aware YYYY-MM-DD because <reason>',
      'incident INC-n provider informed [note]',
    ]);
    const all = text(await say(team.domain_expert, 'help'));
    const one = text(await say(team.domain_expert, 'help incident'));
    for (const usage of usages) {
      expect(all).toContain(JSON.stringify(usage).slice(1, -1));
      expect(one).toContain(JSON.stringify(usage).slice(1, -1));
    }
    // The reminder's advice is a command that now exists.
    const typed = await say(team.ai_governance_legal!, 'incident INC-999 report submitted MSA-1');
    expect(typed.cards[0]!.title).toBe('Not found');
  });
});
