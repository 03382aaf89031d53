/**
 * The Art. 73 clock never moves the wrong way (issue 13), on the real database through the
 * conversation: a re-flag keeps the awareness first recorded, a flag without a date counts from
 * the first report and says so, only AI Governance & Legal corrects awareness (audited), an
 * initial report (73(5)) keeps the reminders going until the complete one, the first reminder goes
 * out at once ("immediately"), a deployer records informing the provider first (26(5)) and the
 * card warns not to alter the system before informing the authority (73(6)).
 * Day counts come from the reference data, never from this file.
 */
import { readFileSync } from 'node:fs';
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { ART73_6_WARNING } from '../../src/conversation/cards/incident';
import { flagSerious } from '../../src/domain/incidents/flagSerious';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { COMPLETE_REPORT_REMINDER_DAYS, sweepSeriousIncidents } from '../../src/domain/schedules/sweepSeriousIncidents';
import type { Incident, Person, UseCase } from '../../src/domain/types';
import { referencePath } from '../support/reference';
import { registerTeam, type Team } from '../support/people';
import { ANSWERS_FOR } from '../support/usecases';
import { proposeUseCase } from '../../src/domain/usecases/proposeUseCase';
import { deliveriesWith, newKeys, useSweepContext } from '../scheduler/sweepSupport';

const t = useSweepContext();
const DAY = 86_400_000;
let team: Team;
let legal: Person;
let convo: Conversation;
let provided: UseCase;
let deployed: UseCase;
let unexpected: unknown[] = [];

/** Art. 73(2)-(4) day counts, read from the reference text ("not later than N days"). */
const ref = JSON.parse(readFileSync(referencePath('frameworks', 'eu-ai-act.json'), 'utf8')).serious_incident_reporting_art73.deadlines as { para: string; deadline: string }[];
const daysOf = (para: string): number => Number(/not later than (\d+) days/.exec(ref.find((d) => d.para === para)!.deadline)![1]);
const GENERAL = daysOf('73(2)');
const DEATH = daysOf('73(4)');

const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.title, c.text, c.sections, c.context]));
const get = async (key: string): Promise<Incident> => (await t.ctx.repos.incidents.get(key))!;
/** The incident's newest history entry (its audit entry). */
const head = async (key: string) => (await t.ctx.repos.audit.head(`incident:${key}`))!;

async function report(useCase: UseCase, title = 'Advice linked to an injury'): Promise<Incident> {
  return reportIncident(t.ctx, { reporterId: team.domain_expert.id, useCaseKey: useCase.key, category: 'harmful_or_biased_output', severity: 'sev1', title });
}

beforeAll(async () => {
  t.clock.set('2026-09-01T09:00:00Z');
  team = await registerTeam(t.ctx);
  legal = team.ai_governance_legal!;
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
  provided = await proposeUseCase(t.ctx, { actorId: team.llm_product_manager.id, title: 'Own triage model', description: 'Built here', answers: { ...ANSWERS_FOR.high, organisation_role: 'provider' } });
  deployed = await proposeUseCase(t.ctx, { actorId: team.llm_product_manager.id, title: 'Vendor screening tool', description: 'Bought in', answers: { ...ANSWERS_FOR.high, organisation_role: 'deployer', provider_triggers: ['none'], deployer_type: ['none'] } });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

describe('awareness never moves later', () => {
  it('the issue case: general on 1 Sep, death known on 7 Sep without a date -> due 11 Sep, not 17 Sep', async () => {
    t.clock.set('2026-09-01T09:00:00Z');
    const inc = await report(provided);
    await say(legal, `incident ${inc.key} serious general aware 2026-09-01`);
    expect((await get(inc.key)).serious!.deadline.toISOString()).toBe(new Date(Date.UTC(2026, 8, 1) + GENERAL * DAY).toISOString());

    t.clock.set('2026-09-07T10:00:00Z');
    const reply = await say(legal, `incident ${inc.key} serious death`);
    const s = (await get(inc.key)).serious!;
    expect(s.basis).toBe('death');
    expect(s.awareAt.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(s.deadline.toISOString()).toBe(new Date(Date.UTC(2026, 8, 1) + DEATH * DAY).toISOString()); // 11 Sep
    expect(reply.cards[0]!.context).toContain('Awareness kept at');
  });

  it('refuses a later awareness date on a re-flag, writing nothing; an earlier one is taken', async () => {
    t.clock.set('2026-09-10T09:00:00Z');
    const inc = await report(provided);
    await say(legal, `incident ${inc.key} serious general aware 2026-09-05`);
    const before = (await head(inc.key)).version;
    const later = await say(legal, `incident ${inc.key} serious general aware 2026-09-08`);
    expect(later.refusal?.code).toBe('incident.aware_later');
    expect(text(later)).toContain(`incident ${inc.key} aware YYYY-MM-DD because`);
    expect((await head(inc.key)).version).toBe(before);
    expect((await get(inc.key)).serious!.awareAt.toISOString()).toBe('2026-09-05T00:00:00.000Z');

    await say(legal, `incident ${inc.key} serious general aware 2026-09-03`);
    expect((await get(inc.key)).serious!.awareAt.toISOString()).toBe('2026-09-03T00:00:00.000Z');
  });

  it('a change to a basis with a longer window never extends the deadline', async () => {
    t.clock.set('2026-09-10T09:00:00Z');
    const inc = await report(provided);
    const death = await flagSerious(t.ctx, { actorId: legal.id, key: inc.key, basis: 'death', awareAt: '2026-09-10T08:00:00Z' });
    const general = await flagSerious(t.ctx, { actorId: legal.id, key: inc.key, basis: 'general' });
    expect(general.serious!.deadline).toEqual(death.serious!.deadline);
    expect(general.timeline.at(-1)!.text).toContain('never extends it');
  });

  it('a flag without a date counts from the first report and says so', async () => {
    t.clock.set('2026-09-12T09:00:00Z');
    const inc = await report(provided);
    t.clock.set('2026-09-14T15:00:00Z'); // legal looks at it two days later
    const reply = await say(legal, `incident ${inc.key} serious general`);
    const s = (await get(inc.key)).serious!;
    expect(s.awareAt).toEqual(inc.createdAt);
    expect(s.awareSource).toBe('first_report');
    expect(s.deadline.getTime()).toBe(inc.createdAt.getTime() + GENERAL * DAY);
    expect(reply.cards[0]!.context).toContain('Awareness taken as the first report');
    expect(text(reply)).toContain('the first report: no date was given');
  });

  it('only AI Governance & Legal corrects awareness, with a reason, audited; the deadline follows', async () => {
    t.clock.set('2026-09-20T09:00:00Z');
    const inc = await report(provided);
    await say(legal, `incident ${inc.key} serious general aware 2026-09-15`);
    const n = (await head(inc.key)).version;

    const owner = (await t.ctx.repos.people.findById(inc.ownerId))!;
    expect((await say(owner, `incident ${inc.key} aware 2026-09-18 because the vendor told us on the 18th`)).refusal?.code).toBe('incident.aware_correct_forbidden');
    expect(text(await say(legal, `incident ${inc.key} aware 2026-09-18`))).toContain('because <reason>'); // no reason
    expect((await say(legal, `incident ${inc.key} aware 2026-09-30 because a typo here`)).refusal?.code).toBe('incident.aware_in_future');
    expect((await head(inc.key)).version).toBe(n);

    const ok = await say(legal, `incident ${inc.key} aware 2026-09-18 because the vendor's notice reached us on the 18th`);
    expect(ok.refusal).toBeUndefined();
    const s = (await get(inc.key)).serious!;
    expect(s).toMatchObject({ awareSource: 'corrected', awareAt: new Date('2026-09-18T00:00:00Z'), deadline: new Date(Date.UTC(2026, 8, 18) + GENERAL * DAY) });
    const last = await head(inc.key);
    expect(last).toMatchObject({ action: 'incident.awareness_corrected', actorId: legal.id, data: { reason: "the vendor's notice reached us on the 18th" } });
  });
});

describe('reminders: at once, then until the complete report (Art. 73(5))', () => {
  it('the first reminder goes out at once, not at half the window', async () => {
    t.clock.set('2026-10-01T09:00:00Z');
    const inc = await report(provided, 'Immediate');
    await flagSerious(t.ctx, { actorId: legal.id, key: inc.key, basis: 'general', awareAt: t.clock.now() });
    const first = await newKeys(t, `art73.reminder:${inc.key}:`, () => sweepSeriousIncidents(t.sctx));
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((k) => k.startsWith(`art73.reminder:${inc.key}:0:`))).toBe(true);
    expect(await newKeys(t, `art73.reminder:${inc.key}:`, () => sweepSeriousIncidents(t.sctx))).toEqual([]);
  });

  it('an initial report meets the deadline; reminders continue weekly until the complete one', async () => {
    t.clock.set('2026-10-10T09:00:00Z');
    const inc = await report(provided, 'Two-step report');
    await say(legal, `incident ${inc.key} serious general aware 2026-10-10`);
    await sweepSeriousIncidents(t.sctx);
    t.clock.advanceMs(2 * DAY);
    const initial = await say(legal, `incident ${inc.key} report initial MSA-INIT-1`);
    expect(initial.cards[0]!.context).toContain('reminders continue');
    let s = (await get(inc.key)).serious!;
    expect(s).toMatchObject({ initialReportRef: 'MSA-INIT-1', initialReportAt: t.clock.now() });
    expect(s.reportSubmittedAt).toBeUndefined();
    expect(text(await say(legal, `incident ${inc.key}`))).toContain('complete report is still outstanding');
    expect((await head(inc.key))).toMatchObject({ action: 'incident.initial_report_submitted', data: { late: false } });
    expect((await say(legal, `incident ${inc.key} report initial MSA-INIT-2`)).refusal?.code).toBe('incident.initial_already_submitted');

    // Past the deadline: no deadline reminders (it was met), but the complete report is chased.
    t.clock.advanceMs((GENERAL + 1) * DAY);
    const after = await newKeys(t, 'art73.', () => sweepSeriousIncidents(t.sctx));
    expect(after.filter((k) => k.startsWith(`art73.reminder:${inc.key}:`))).toEqual([]);
    const n = Math.floor((GENERAL - 1) / COMPLETE_REPORT_REMINDER_DAYS);
    expect(after.filter((k) => k.startsWith(`art73.complete:${inc.key}:${n}:`)).length).toBeGreaterThan(0);
    expect(await newKeys(t, `art73.complete:${inc.key}:`, () => sweepSeriousIncidents(t.sctx))).toEqual([]);

    await say(legal, `incident ${inc.key} report complete MSA-FULL-1`);
    s = (await get(inc.key)).serious!;
    expect(s).toMatchObject({ reportRef: 'MSA-FULL-1', initialReportRef: 'MSA-INIT-1' });
    t.clock.advanceMs(3 * COMPLETE_REPORT_REMINDER_DAYS * DAY);
    expect(await newKeys(t, `art73.`, () => sweepSeriousIncidents(t.sctx))).toEqual([]);
    expect((await deliveriesWith(t, `art73.complete:${inc.key}:`))[0]!.text).toContain(`incident ${inc.key} report complete`);
  });
});

describe('the incident card', () => {
  it('warns per Art. 73(6) until the authority is informed', async () => {
    t.clock.set('2026-11-01T09:00:00Z');
    const inc = await report(provided, 'Warn');
    const flagged = await say(legal, `incident ${inc.key} serious general`);
    expect(text(flagged)).toContain(ART73_6_WARNING.slice(0, 40));
    expect(text(flagged)).not.toContain('Art. 26(5)'); // the organisation is the provider here
    const reported = await say(legal, `incident ${inc.key} report submitted MSA-9`);
    expect(text(reported)).not.toContain(ART73_6_WARNING.slice(0, 40));
  });

  it('asks a deployer to inform the provider first (Art. 26(5)) and records when', async () => {
    t.clock.set('2026-11-02T09:00:00Z');
    const inc = await report(deployed, 'Vendor model misfired');
    const flagged = await say(legal, `incident ${inc.key} serious general`);
    expect(text(flagged)).toContain(`incident ${inc.key} provider informed`);
    expect((await say(team.domain_expert, `incident ${inc.key} provider informed`)).refusal?.code).toBe('incident.report_forbidden');
    t.clock.advanceMs(3_600_000);
    const done = await say(legal, `incident ${inc.key} provider informed vendor safety desk ticket 4411`);
    expect(done.refusal).toBeUndefined();
    expect((await get(inc.key)).serious).toMatchObject({ providerInformedAt: t.clock.now(), providerInformedNote: 'vendor safety desk ticket 4411' });
    expect(text(done)).toContain('Provider informed');
    expect((await head(inc.key))).toMatchObject({ action: 'incident.provider_informed' });
    expect((await say(legal, `incident ${inc.key} provider informed`)).refusal?.code).toBe('incident.provider_already_informed');
  });
});
