/**
 * The weekly governance digest (issue 7 item 5): one message to the governance channel per ISO
 * week, however often the job runs, carrying the KPIs as they stand: use cases by stage and
 * time to production, stalled use cases, approvals waiting and their age, incidents and
 * pending Art. 73 reports, overdue reviews.
 */
import { castVote } from '../../src/domain/approvals/castVote';
import { recordReportSubmitted } from '../../src/domain/incidents/recordReportSubmitted';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { addDays, isoWeek } from '../../src/domain/schedules/dates';
import { ensureReview } from '../../src/domain/schedules/ensureReview';
import { digestKey, sendWeeklyDigest } from '../../src/domain/schedules/weeklyDigest';
import type { Approval, Incident, UseCase } from '../../src/domain/types';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { retireUseCase } from '../../src/domain/usecases/retireUseCase';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { useCase as storedUseCase } from './fixtures';
import { deliveriesWith, recipientOf, useSweepContext } from './sweepSupport';
import { fixtureChange } from '../support/changes';

const t = useSweepContext();
let team: Team;
let stalled: UseCase;
let waiting: UseCase;
let live: UseCase;
let approval: Approval;
let serious: Incident;

const DIGEST = 'digest.weekly:';

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  const pm = team.llm_product_manager!.id;

  // Proposed on 1 July and never moved: stalled in ideation by September.
  t.clock.set('2026-07-01T09:00:00Z');
  stalled = await proposeTestUseCase(t.ctx, pm, 'minimal', { title: 'Forgotten idea' });
  // An older incident, still open, not reported this week.
  t.clock.set('2026-08-03T10:00:00Z');
  await reportIncident(t.ctx, { reporterId: team.domain_expert!.id, useCaseKey: stalled.key, category: 'hallucination_misinformation', severity: 'sev3', title: 'Invented a clause' });

  // Proposed on 1 September, its first gate requested the same day: an approval six days old on the 7th.
  t.clock.set('2026-09-01T09:00:00Z');
  waiting = await proposeTestUseCase(t.ctx, pm, 'minimal', { title: 'Waiting for a gate' });
  approval = (await requestAdvance(t.ctx, { actorId: pm, key: waiting.key })).approval;

  // In production since 2 March (60 days after its creation), its review long overdue.
  const created = new Date('2026-01-01T09:00:00Z');
  const base = await storedUseCase(t.ctx.repos, { ownerId: pm, stage: 'production', tier: 'high', createdAt: created, stageEnteredAt: new Date('2026-03-02T09:00:00Z') });
  live = (
    await t.ctx.repos.useCases.save(
      { ...base, stageHistory: [{ from: 'pilot', to: 'production', at: new Date('2026-03-02T09:00:00Z'), by: pm }] },
      fixtureChange(),
    )
  ).record;
  const review = (await ensureReview(t.sctx, { useCase: live }))!;
  expect(review.dueAt.getTime()).toBeLessThan(new Date('2026-09-07T09:00:00Z').getTime());

  // A serious incident this week, its Art. 73 report not yet filed.
  t.clock.set('2026-09-05T12:00:00Z');
  serious = await reportIncident(t.ctx, {
    reporterId: team.prompt_engineer!.id,
    useCaseKey: live.key,
    category: 'prompt_injection',
    severity: 'sev1',
    title: 'Injected instructions leaked a record',
    serious: { basis: 'general', awareAt: t.clock.now() },
  });
});

describe('ISO week (pure)', () => {
  it('names the week as ISO 8601 does, across a year end', () => {
    // Checked against `date +%G-W%V`.
    expect(isoWeek(new Date('2026-09-07T00:00:00Z'))).toBe('2026-W37'); // Monday
    expect(isoWeek(new Date('2026-09-13T23:59:59Z'))).toBe('2026-W37'); // Sunday
    expect(isoWeek(new Date('2026-09-14T00:00:00Z'))).toBe('2026-W38');
    expect(isoWeek(new Date('2026-12-31T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-03T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
  });
});

describe('weekly digest', () => {
  it('sends one digest per ISO week to the governance channel with the current KPIs', async () => {
    t.clock.set('2026-09-07T09:00:00Z'); // Monday, week 37
    const first = await sendWeeklyDigest(t.sctx);
    expect(first).toMatchObject({ week: '2026-W37', queued: true });
    expect(first.figures).toEqual({
      week: '2026-W37',
      useCasesByStage: { ideation: 2, production: 1 },
      medianDaysToProduction: 60,
      reachedProductionThisWeek: 0,
      stalled: 1,
      approvalsWaiting: 1,
      oldestApprovalDays: 6,
      incidentsOpen: 2,
      incidentsReportedThisWeek: 1,
      art73ReportsPending: 1,
      reviewsOverdue: 1,
    });

    const [digest, ...more] = await deliveriesWith(t, DIGEST);
    expect(more).toEqual([]);
    expect(digest!.key).toBe(digestKey('2026-W37'));
    expect(recipientOf(digest!)).toBe('#governance');
    for (const line of [
      'Governance digest 2026-W37',
      'ideation 2',
      'production 1',
      'Median days to production: 60',
      'Stalled: 1.',
      'Approvals waiting: 1 (oldest 6 days).',
      'Incidents open: 2; reported this week: 1; Art. 73 reports pending: 1.',
      'Reviews overdue: 1.',
    ]) {
      expect(digest!.text).toContain(line);
    }
    const fields = Object.fromEntries(((digest!.card as { fields?: { label: string; value: string }[] }).fields ?? []).map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({ Stalled: '1', 'Approvals waiting': '1', 'Incidents open': '2', 'Reviews overdue': '1' });

    // Again on Monday, twice at once on Wednesday, and late on Sunday: still one for week 37.
    expect((await sendWeeklyDigest(t.sctx)).queued).toBe(false);
    t.clock.set('2026-09-09T15:00:00Z');
    const pair = await Promise.all([sendWeeklyDigest(t.sctx), sendWeeklyDigest(t.sctx)]);
    expect(pair.map((r) => r.queued)).toEqual([false, false]);
    t.clock.set('2026-09-13T23:59:59Z');
    expect((await sendWeeklyDigest(t.sctx)).queued).toBe(false);
    expect(await deliveriesWith(t, DIGEST)).toHaveLength(1);
  });

  it('sends the next week’s digest with the figures as they stand then', async () => {
    // During week 37: the approval is decided and the Art. 73 report is filed.
    t.clock.set('2026-09-10T10:00:00Z');
    const vote = await castVote(t.ctx, { actorId: team.ai_coe_admin!.id, approvalKey: approval.key, decision: 'approve' });
    expect(vote.decided).toBe('approved');
    await recordReportSubmitted(t.ctx, { actorId: team.ai_governance_legal!.id, key: serious.key, reportRef: 'MSA-77' });

    t.clock.set('2026-09-14T09:00:00Z'); // Monday, week 38
    const [a, b] = await Promise.all([sendWeeklyDigest(t.sctx), sendWeeklyDigest(t.sctx)]);
    expect([a.queued, b.queued].filter(Boolean)).toHaveLength(1);
    expect(a.figures).toMatchObject({
      week: '2026-W38',
      useCasesByStage: { ideation: 1, prototype: 1, production: 1 },
      stalled: 1,
      approvalsWaiting: 0,
      oldestApprovalDays: null,
      incidentsReportedThisWeek: 0,
      art73ReportsPending: 0,
      reviewsOverdue: 1,
    });
    const keys = (await deliveriesWith(t, DIGEST)).map((d) => d.key);
    expect(keys).toEqual([digestKey('2026-W37'), digestKey('2026-W38')]);
    const week38 = (await t.deliveries.get(digestKey('2026-W38')))!;
    expect(week38.to).toEqual({ channel: 'governance' });
    expect(week38.text).toContain('Approvals waiting: 0.');
    expect(week38.text).toContain('Art. 73 reports pending: 0.');
  });

  it('keys a digest by ISO week across the year end', async () => {
    t.clock.set('2026-12-31T09:00:00Z');
    expect(await sendWeeklyDigest(t.sctx)).toMatchObject({ week: '2026-W53', queued: true });
    t.clock.set('2027-01-03T09:00:00Z');
    expect(await sendWeeklyDigest(t.sctx)).toMatchObject({ week: '2026-W53', queued: false });
    t.clock.set(addDays(new Date('2027-01-03T09:00:00Z'), 1));
    expect(await sendWeeklyDigest(t.sctx)).toMatchObject({ week: '2027-W01', queued: true });
    expect((await deliveriesWith(t, DIGEST)).map((d) => d.key)).toEqual(
      ['2026-W37', '2026-W38', '2026-W53', '2027-W01'].map(digestKey),
    );
  });

  // Retiring a use case closes its open review, so the digest does not count it as overdue.
  it('does not count the review of a retired use case as overdue', async () => {
    t.clock.set('2027-02-01T09:00:00Z');
    const retiring = await storedUseCase(t.ctx.repos, { ownerId: team.llm_product_manager!.id, stage: 'production', tier: 'high', createdAt: t.clock.now() });
    const review = (await ensureReview(t.sctx, { useCase: retiring }))!;
    await retireUseCase(t.ctx, { actorId: team.llm_product_manager!.id, key: retiring.key, reason: 'replaced by a vendor tool' });
    t.clock.set(addDays(review.dueAt, 30));
    const { figures } = await sendWeeklyDigest(t.sctx);
    // Only `live` (in production, its review due since April 2026) is overdue.
    expect(figures.reviewsOverdue).toBe(1);
  });
});
