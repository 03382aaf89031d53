/**
 * Every notification the product queues — from domain events and from the scheduled sweeps —
 * carries a card that renders in all three channels: Block Kit within Slack's limits, an
 * Adaptive Card valid against the 1.5 schema, and HTML.
 */
import { cardToAdaptiveCard, cardToBlockKit, cardToHtml } from '../../src/conversation/render';
import type { Card } from '../../src/conversation/cards/model';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { sendWeeklyDigest, sweepApprovals, sweepReviews, sweepSeriousIncidents, sweepStalled } from '../../src/domain/schedules';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { castVote } from '../../src/domain/approvals/castVote';
import { routeEvents } from '../../src/notifications/routeEvents';
import { adaptiveCardValidator } from '../channels/teams/support/adaptiveSchema';
import { blockProblems } from '../conversation/slackChecks';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { useSweepContext } from '../scheduler/sweepSupport';

const t = useSweepContext();
let team: Team;
beforeAll(async () => {
  team = await registerTeam(t.ctx);
  // The requester never approves: a second product manager can.
  await registerTestPerson(t.ctx, ['llm_product_manager'], 'Second PM');
});

it('renders every queued notification card through Block Kit, Adaptive Cards and HTML', async () => {
  const stop = routeEvents(t.ctx, t.deliveries);
  try {
    t.clock.set('2026-09-01T09:00:00Z');
    const pm = team.llm_product_manager!;
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'high', { title: 'Notice source' });
    const other = await proposeTestUseCase(t.ctx, pm.id, 'minimal', { title: 'Decided notice' });
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    const decided = await requestAdvance(t.ctx, { actorId: pm.id, key: other.key });
    for (const id of decided.approval.approverIds) {
      const r = await castVote(t.ctx, { actorId: id, approvalKey: decided.approval.key, decision: 'reject', reason: 'Not yet' });
      if (r.decided) break;
    }
    await reportIncident(t.ctx, {
      reporterId: team.domain_expert!.id,
      useCaseKey: uc.key,
      category: 'sensitive_information_disclosure',
      severity: 'sev1',
      title: 'Leaked an address',
      serious: { basis: 'general', awareAt: t.clock.now() },
    });
    // Move time so every sweep has something to say.
    t.clock.set(new Date(approval.expiresAt.getTime() - 3_600_000));
    await sweepApprovals(t.sctx);
    t.clock.advanceDays(200);
    await sweepReviews(t.sctx);
    await sweepSeriousIncidents(t.sctx);
    await sweepStalled(t.sctx);
    await sendWeeklyDigest(t.sctx);
  } finally {
    stop();
  }
  const deliveries = await t.deliveries.list({ limit: 10_000 });
  const kinds = new Set(deliveries.map((d) => d.key.split(':')[0]));
  // Events and sweeps both produced notices.
  expect([...kinds]).toEqual(expect.arrayContaining(['approval.requested', 'approval.decided', 'incident.reported', 'incident.serious_flagged']));
  expect(kinds.size).toBeGreaterThanOrEqual(7);

  const validate = adaptiveCardValidator();
  for (const d of deliveries) {
    const card = d.card as Card;
    expect(typeof card.title).toBe('string');
    expect(blockProblems(cardToBlockKit(card).blocks as never, 50)).toEqual([]);
    expect(validate(cardToAdaptiveCard(card))).toEqual([]);
    expect(cardToHtml(card)).toContain('<');
    // People read times, not ISO timestamps.
    expect(JSON.stringify(card)).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
  }
});
