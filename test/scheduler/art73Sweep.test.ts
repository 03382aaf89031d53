/**
 * The Art. 73 clock (issue 7 item 2): a serious incident reminds its owner and every
 * AI governance & legal person at each policy fraction of its deadline and at the deadline,
 * each reminder once however often (or however concurrently) the sweep runs, and nothing more
 * once the report is recorded as submitted. Real database, real outbox, a test clock.
 */
import { formatUtc } from '../../src/domain/schedules/dates';
import { flagSerious } from '../../src/domain/incidents/flagSerious';
import { recordReportSubmitted } from '../../src/domain/incidents/recordReportSubmitted';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { art73Key, art73Slot, sweepSeriousIncidents } from '../../src/domain/schedules/sweepSeriousIncidents';
import { DAY_MS } from '../../src/domain/schedules/dates';
import type { Incident, Person, SeriousBasis, UseCase } from '../../src/domain/types';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { deliveriesWith, newKeys, recipientOf, sorted, useSweepContext } from './sweepSupport';

const t = useSweepContext();
let team: Team;
let legal: Person[];
let useCase: UseCase;

beforeAll(async () => {
  t.clock.set('2026-09-01T09:00:00Z');
  team = await registerTeam(t.ctx);
  // A second legal person: "every ai_governance_legal person" must mean every one, not the first.
  await registerTestPerson(t.ctx, ['ai_governance_legal'], 'Second legal (test)');
  legal = await t.ctx.repos.people.findByRole('ai_governance_legal');
  useCase = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, 'high');
});

const prefixOf = (inc: Incident) => `art73.reminder:${inc.key}:`;
/** The moments to remind at: at once (the law's "immediately"), each policy fraction of the time allowed, then the deadline. */
function reminderPoints(inc: Incident): { fraction: number; at: Date }[] {
  const { awareAt, deadline } = inc.serious!;
  const span = deadline.getTime() - awareAt.getTime();
  const fractions = [...t.ctx.policy.incidents.serious.reminderFractions].sort((a, b) => a - b);
  return [0, ...fractions, 1].map((fraction) => ({ fraction, at: new Date(awareAt.getTime() + Math.round(span * fraction)) }));
}
/** The owner and every legal person, each once. */
const recipientsOf = (inc: Incident) => sorted([...new Set([inc.ownerId, ...legal.map((p) => p.id)])]);
const expectedKeys = (inc: Incident, fraction: number) => sorted(recipientsOf(inc).map((id) => art73Key(inc.key, fraction, id)));

async function reportSerious(basis: SeriousBasis, awareAt: Date, title: string): Promise<Incident> {
  return reportIncident(t.ctx, {
    reporterId: team.prompt_engineer!.id,
    useCaseKey: useCase.key,
    category: 'prompt_injection',
    severity: 'sev1',
    title,
    description: 'The assistant followed instructions hidden in an uploaded document.',
    serious: { basis, awareAt },
  });
}

describe('Art. 73 slot (pure)', () => {
  const aware = new Date('2026-01-10T00:00:00Z');
  const deadline = new Date(aware.getTime() + 10 * DAY_MS);
  it('gives the largest fraction reached, awareness itself as fraction 0 ("immediately"), the deadline as fraction 1', () => {
    expect(art73Slot(aware, deadline, [0.5, 0.8], new Date(aware.getTime() - 1))).toBeNull();
    expect(art73Slot(aware, deadline, [0.5, 0.8], aware)).toEqual({ fraction: 0, at: aware });
    expect(art73Slot(aware, deadline, [0.5, 0.8], new Date(aware.getTime() + 5 * DAY_MS - 1))?.fraction).toBe(0);
    expect(art73Slot(aware, deadline, [0.5, 0.8], new Date(aware.getTime() + 5 * DAY_MS))?.fraction).toBe(0.5);
    expect(art73Slot(aware, deadline, [0.8, 0.5], new Date(aware.getTime() + 8 * DAY_MS))?.fraction).toBe(0.8);
    expect(art73Slot(aware, deadline, [0.5, 0.8], deadline)).toEqual({ fraction: 1, at: deadline });
    expect(art73Slot(aware, deadline, [0.5, 0.8], new Date(deadline.getTime() + 30 * DAY_MS))?.fraction).toBe(1);
  });
});

describe('Art. 73 sweep', () => {
  it('reminds the owner and every legal person at each fraction of the deadline and at the deadline', async () => {
    t.clock.set('2026-09-01T09:00:00Z');
    const awareAt = new Date('2026-09-01T07:00:00Z'); // became aware two hours before reporting
    const inc = await reportSerious('general', awareAt, 'Injected instructions exfiltrated a customer record');
    expect(inc.serious!.deadline).toEqual(new Date(awareAt.getTime() + t.ctx.policy.incidents.serious.deadlinesDays.general * DAY_MS));
    // The owner is the safety & compliance Responsible (the security specialist), not a legal person.
    expect(inc.ownerId).toBe(team.ai_security_specialist!.id);
    expect(legal.length).toBeGreaterThanOrEqual(2);
    expect(recipientsOf(inc)).toHaveLength(legal.length + 1);

    const points = reminderPoints(inc);
    expect(points.map((p) => p.fraction)).toEqual([0, 0.5, 0.8, 1]); // at once, then the default playbook's fractions

    // Nothing one millisecond before awareness; from then on, each point once.
    t.clock.set(new Date(points[0]!.at.getTime() - 1));
    expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual([]);

    for (const [i, point] of points.entries()) {
      t.clock.set(point.at);
      expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual(expectedKeys(inc, point.fraction));
      // A later sweep in the same slot (an hour on, or just before the next point) adds nothing.
      t.clock.set(new Date(point.at.getTime() + 3_600_000));
      expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual([]);
      const next = points[i + 1];
      if (next) {
        t.clock.set(new Date(next.at.getTime() - 1));
        expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual([]);
      }
    }

    const all = await deliveriesWith(t, prefixOf(inc));
    expect(all).toHaveLength(points.length * recipientsOf(inc).length);
    // Each reminder goes to the person its key names, and says which incident and what is left.
    for (const d of all) {
      expect(d.key.endsWith(`:${recipientOf(d)}`)).toBe(true);
      expect(d.text).toContain(inc.key);
      expect(d.text).toContain(`incident ${inc.key} report submitted`);
    }
    const atDeadline = all.filter((d) => d.key.includes(':1:'));
    expect(sorted(atDeadline.map(recipientOf))).toEqual(recipientsOf(inc));
    for (const d of atDeadline) expect(d.text).toContain('the deadline has been reached');

    // The clock keeps running after the deadline, but nothing more is sent for it.
    t.clock.set(new Date(inc.serious!.deadline.getTime() + 5 * DAY_MS));
    expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual([]);
    await recordReportSubmitted(t.ctx, { actorId: legal[0]!.id, key: inc.key, reportRef: 'MSA-LATE-1' });
  });

  it('never queues a reminder twice: a re-run at the same moment, or sweeps running concurrently', async () => {
    t.clock.set('2026-10-01T09:00:00Z');
    const inc = await reportSerious('widespread_or_critical_infrastructure', t.clock.now(), 'Dispatch assistant took the grid scheduler offline');
    expect(inc.serious!.deadline).toEqual(new Date(t.clock.now().getTime() + t.ctx.policy.incidents.serious.deadlinesDays.widespread_or_critical_infrastructure * DAY_MS));
    const [, first, second, deadline] = reminderPoints(inc);
    const n = recipientsOf(inc).length;

    t.clock.set(first!.at);
    const a = await sweepSeriousIncidents(t.sctx);
    const b = await sweepSeriousIncidents(t.sctx);
    expect([a.queued, b.queued]).toEqual([n, 0]);

    t.clock.set(second!.at);
    const concurrent = await Promise.all([sweepSeriousIncidents(t.sctx), sweepSeriousIncidents(t.sctx), sweepSeriousIncidents(t.sctx)]);
    expect(concurrent.reduce((s, r) => s + r.queued, 0)).toBe(n);

    t.clock.set(deadline!.at);
    const [c, d] = await Promise.all([sweepSeriousIncidents(t.sctx), sweepSeriousIncidents(t.sctx)]);
    expect(c.queued + d.queued).toBe(n);

    const keys = (await deliveriesWith(t, prefixOf(inc))).map((x) => x.key);
    expect(keys).toEqual(sorted([...expectedKeys(inc, first!.fraction), ...expectedKeys(inc, second!.fraction), ...expectedKeys(inc, 1)]));
    expect(new Set(keys).size).toBe(keys.length);
    await recordReportSubmitted(t.ctx, { actorId: legal[1]!.id, key: inc.key, reportRef: 'MSA-2' });
  });

  it('a late flag sends only the latest reminder due (no backlog), and nothing after the report is recorded', async () => {
    t.clock.set('2026-11-02T09:00:00Z');
    const plain = await reportIncident(t.ctx, {
      reporterId: team.domain_expert!.id,
      useCaseKey: useCase.key,
      category: 'harmful_or_biased_output',
      severity: 'sev2',
      title: 'Advice that harmed a patient',
    });
    expect(await newKeys(t, `art73.reminder:${plain.key}:`, () => sweepSeriousIncidents(t.sctx))).toEqual([]); // not serious: no clock

    // Legal recognises it as serious eight days after the team became aware of it.
    const awareAt = new Date(t.clock.now().getTime() - 8 * DAY_MS);
    const inc = await flagSerious(t.ctx, { actorId: legal[0]!.id, key: plain.key, basis: 'general', awareAt });
    const [, half, later, deadline] = reminderPoints(inc);
    expect(t.clock.now().getTime()).toBeGreaterThan(half!.at.getTime());
    expect(t.clock.now().getTime()).toBeLessThan(later!.at.getTime());
    expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual(expectedKeys(inc, half!.fraction));

    const recorded = await recordReportSubmitted(t.ctx, { actorId: legal[0]!.id, key: inc.key, reportRef: 'MSA-2026-0042' });
    expect(recorded.serious!.reportSubmittedAt).toEqual(t.clock.now());
    expect((await t.ctx.repos.incidents.get(inc.key))!.serious!.reportRef).toBe('MSA-2026-0042');

    for (const at of [later!.at, deadline!.at, new Date(deadline!.at.getTime() + DAY_MS)]) {
      t.clock.set(at);
      expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual([]);
    }
    expect(await deliveriesWith(t, prefixOf(inc))).toHaveLength(recipientsOf(inc).length);
  });

  it('follows a shortened deadline when the basis changes (the next reminders count to the new deadline)', async () => {
    t.clock.set('2026-12-01T09:00:00Z');
    const awareAt = t.clock.now();
    const inc = await reportSerious('general', awareAt, 'Chatbot advice linked to an injury');
    const [, half] = reminderPoints(inc);
    t.clock.set(half!.at);
    expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual(expectedKeys(inc, 0.5));

    // A death becomes known: the deadline moves to ten days from awareness (earlier than fifteen).
    t.clock.advanceMs(3_600_000);
    const reflagged = await flagSerious(t.ctx, { actorId: legal[0]!.id, key: inc.key, basis: 'death', awareAt });
    expect(reflagged.serious!.deadline.getTime()).toBeLessThan(inc.serious!.deadline.getTime());
    const [, , later, deadline] = reminderPoints(reflagged);
    t.clock.set(later!.at);
    const added = await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx));
    expect(added).toEqual(expectedKeys(inc, later!.fraction));
    const texts = (await deliveriesWith(t, prefixOf(inc))).filter((d) => added.includes(d.key)).map((d) => d.text);
    for (const text of texts) expect(text).toContain(formatUtc(reflagged.serious!.deadline));
    t.clock.set(deadline!.at);
    expect(await newKeys(t, prefixOf(inc), () => sweepSeriousIncidents(t.sctx))).toEqual(expectedKeys(inc, 1));
    await recordReportSubmitted(t.ctx, { actorId: legal[0]!.id, key: inc.key, reportRef: 'MSA-3' });
  });
});
