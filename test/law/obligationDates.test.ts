/**
 * Dates drive behaviour (issue 13): `show UC-n` lists the obligations with "applies now" /
 * "applies from <date>", a gate's evidence list does not demand controls whose obligations do
 * not apply yet and says when they will, and the scheduler reminds the Accountable 90 and 30
 * days before an obligation starts to apply, once per threshold. Both date sets: the amended
 * (default) and the original (EU_AI_ACT_DATES=original). Real database, real outbox.
 */
import { decisionSections } from '../../src/conversation/cards/approvalDetails';
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { dateInForce } from '../../src/domain/obligations/dates';
import { obligationsFor } from '../../src/domain/obligations/obligationsFor';
import type { Policy } from '../../src/domain/policy';
import {
  obligationOwner,
  obligationReminderKey,
  obligationThreshold,
  sweepObligationReminders,
} from '../../src/domain/schedules/sweepObligationReminders';
import type { UseCase } from '../../src/domain/types';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { deliveriesWith, newKeys, recipientOf, useSweepContext } from '../scheduler/sweepSupport';

const t = useSweepContext();
const DAY = 86_400_000;
let team: Team;
let high: UseCase;
let unexpected: unknown[] = [];

const withDates = (policy: Policy, datesInForce: 'original' | 'amended'): Policy => ({ ...policy, regulation: { ...policy.regulation!, datesInForce } });
const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.sections, c.fields]));
const convoWith = (policy: Policy): Conversation => createConversation({ ctx: { ...t.ctx, policy }, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
/** The Annex III high-risk date under a date set, from the playbook (never from this file). */
const annexIII = (policy: Policy, set: 'original' | 'amended') => dateInForce(withDates(policy, set).regulation, 'annex_iii_high_risk')!;

beforeAll(async () => {
  t.clock.set('2026-12-04T09:00:00Z');
  team = await registerTeam(t.ctx);
  high = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'high', { title: 'CV screening (provider)' });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

describe('show UC-n says from when each obligation applies', () => {
  it('amended dates (the default): Annex III duties apply from their later date; controls for them are not due yet', async () => {
    expect(t.ctx.policy.regulation!.datesInForce).toBe('amended');
    const from = annexIII(t.ctx.policy, 'amended');
    expect(from > '2026-12-04').toBe(true);
    const shown = text(await convoWith(t.ctx.policy).handle(team.llm_product_manager, { kind: 'command', text: `show ${high.key}` }));
    expect(shown).toMatch(/Applies now, missing \(1\)[^{]*✗ Art\. 4 AI literacy/);
    expect(shown).toMatch(new RegExp(`Applies from ${from}:[^"]*Art\\. 9 Risk management`));
    expect(shown).toContain(`CTL-RISK-MANAGEMENT`);
    expect(shown).toMatch(new RegExp(`○ CTL-RISK-MANAGEMENT [^\\\\]*not due yet \\(Art\\. 9 applies from ${from}\\)`));
    // Art. 4 applies now: its control is demanded.
    expect(shown).toMatch(/✗ CTL-AI-LITERACY [^\\]*no evidence yet/);
  });

  it('original dates: the same duties apply now and their controls are demanded', async () => {
    const original = withDates(t.ctx.policy, 'original');
    expect(annexIII(t.ctx.policy, 'original') <= '2026-12-04').toBe(true);
    const shown = text(await convoWith(original).handle(team.llm_product_manager, { kind: 'command', text: `show ${high.key}` }));
    expect(shown).toMatch(/Applies now, missing \(\d+\)[^{]*✗ Art\. 9 Risk management/);
    expect(shown).not.toContain('not due yet');
    expect(shown).toMatch(/✗ CTL-RISK-MANAGEMENT [^\\]*no evidence yet/);
  });
});

describe('a gate does not demand evidence for obligations that do not apply yet', () => {
  const evidenceOf = (policy: Policy) => decisionSections(policy, high, [], t.clock.now()).find((s) => s.title?.startsWith('Evidence'))!;
  it('says when they will apply (amended) and demands them under the original dates', () => {
    const amended = evidenceOf(t.ctx.policy);
    expect(amended.title).toMatch(/not required yet/);
    expect(amended.text).toContain(`○ Risk management`);
    expect(amended.text).toContain(`Art. 9 applies from ${annexIII(t.ctx.policy, 'amended')}`);
    const original = evidenceOf(withDates(t.ctx.policy, 'original'));
    expect(original.title).not.toMatch(/not required yet/);
    expect(original.text).not.toContain('○');
  });
});

describe('reminders 90 and 30 days before an obligation applies', () => {
  it('thresholds: the nearest reached, none once it applies', () => {
    expect([120, 91, 90, 31, 30, 1, 0, -5].map(obligationThreshold)).toEqual([undefined, undefined, 90, 90, 30, 30, undefined, undefined]);
  });

  it('reminds the Accountable of the area once per threshold, even with concurrent sweeps', async () => {
    const from = Date.parse(`${annexIII(t.ctx.policy, 'amended')}T00:00:00Z`);
    const prefix = `obligation-reminder:${high.key}:`;
    const uc = (await t.ctx.repos.useCases.get(high.key))!;
    const due = obligationsFor(uc, t.ctx.policy, new Date(from - 60 * DAY)).filter((o) => o.appliesFrom === annexIII(t.ctx.policy, 'amended'));
    expect(due.map((o) => o.id)).toEqual(expect.arrayContaining(['art9_risk_management', 'art12_record_keeping']));

    t.clock.set(new Date(from - 91 * DAY + 9 * 3_600_000));
    expect(await newKeys(t, prefix, () => sweepObligationReminders(t.sctx))).toEqual([]);

    t.clock.set(new Date(from - 90 * DAY + 9 * 3_600_000));
    const at90 = await newKeys(t, prefix, () => Promise.all([sweepObligationReminders(t.sctx), sweepObligationReminders(t.sctx)]));
    expect(at90.sort()).toEqual(due.map((o) => obligationReminderKey(high.key, o.id, 90)).sort());
    expect(await newKeys(t, prefix, () => sweepObligationReminders(t.sctx))).toEqual([]);

    // Recipient: the Accountable of the obligation's area (safety & compliance for Art. 9, infrastructure for Art. 12).
    const sent = await deliveriesWith(t, prefix);
    const accountable = (area: string) => uc.raci.find((a) => a.area === area)!.accountable[0];
    expect(recipientOf(sent.find((d) => d.key === obligationReminderKey(high.key, 'art9_risk_management', 90))!)).toBe(accountable('safety_compliance'));
    expect(recipientOf(sent.find((d) => d.key === obligationReminderKey(high.key, 'art12_record_keeping', 90))!)).toBe(accountable('infrastructure'));
    expect(sent[0]!.text).toContain('90 days left');

    t.clock.set(new Date(from - 45 * DAY));
    expect(await newKeys(t, prefix, () => sweepObligationReminders(t.sctx))).toEqual([]);
    t.clock.set(new Date(from - 30 * DAY + 9 * 3_600_000));
    const at30 = await newKeys(t, prefix, () => sweepObligationReminders(t.sctx));
    expect(at30.sort()).toEqual(due.map((o) => obligationReminderKey(high.key, o.id, 30)).sort());
    t.clock.set(new Date(from + 9 * 3_600_000));
    expect(await newKeys(t, prefix, () => sweepObligationReminders(t.sctx))).toEqual([]);
  });

  it('falls back to the use case owner when the area has no Accountable', () => {
    expect(obligationOwner({ ...high, raci: [] }, 'safety_compliance')).toBe(high.ownerId);
    expect(obligationOwner(high, undefined)).toBe(high.ownerId);
  });
});
