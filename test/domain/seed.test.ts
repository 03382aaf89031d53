import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { DEMO_HISTORY_DAYS, seedDemoUntilComplete } from '../../src/app/seedDemo';
import { computeKpis } from '../../src/domain/metrics/computeKpis';
import { listReviews } from '../../src/domain/reviews/listReviews';
import { findStalled, stalledLimits } from '../../src/domain/schedules/sweepStalled';
import { checkModelUse } from '../../src/domain/registry/checkModelUse';
import { useTestContext } from '../support/context';

const t = useTestContext();

const DAY_MS = 86_400_000;

describe('seedDemoUntilComplete', () => {
  it('builds the demo organisation through the domain, with a valid audit trail', async () => {
    const summary = await seedDemoUntilComplete(t.ctx);
    expect(summary.seeded).toBe(true);
    expect(summary.resumed).toBe(false);

    const people = await t.ctx.repos.people.list();
    for (const role of t.ctx.policy.roles.map((r) => r.id)) expect(people.some((p) => p.roles.includes(role))).toBe(true);
    expect(people.every((p) => /^U0DEMO\d{3}$/.test(p.slackUserId ?? '') && p.email?.endsWith('@demo.example.com') && p.teamsAadObjectId)).toBe(true);

    const ucs = await t.ctx.repos.useCases.list();
    expect(ucs).toHaveLength(6);
    expect(new Set(ucs.map((u) => u.stage))).toEqual(new Set(['production', 'pilot', 'evaluation', 'prototype', 'ideation']));
    expect(new Set(ucs.map((u) => u.tier))).toEqual(new Set(['minimal', 'transparency', 'high', 'prohibited']));
    const prod = ucs.find((u) => u.stage === 'production')!;
    expect(prod.stageHistory.map((h) => h.to)).toEqual(['ideation', 'prototype', 'evaluation', 'security_audit', 'pilot', 'production']);
    expect(prod.stageHistory.slice(1).every((h) => !!h.approvalKey)).toBe(true);

    const models = await t.ctx.repos.models.list();
    expect(models.map((m) => [m.name, m.status])).toEqual([
      ['gpt-4o', 'approved'],
      ['llama-3.1-8b-gpu', 'approved'],
      ['mistral-small', 'restricted'],
    ]);
    const gpu = models.find((m) => m.hosting === 'self_hosted')!;
    expect(gpu.baseUrl).toBe('http://127.0.0.1:8000/v1');
    expect(gpu.allowedDataClasses).toContain('personal');
    const support = ucs.find((u) => u.stage === 'pilot')!;
    expect((await checkModelUse(t.ctx, { useCaseKey: support.key, modelName: 'llama-3.1-8b-gpu', dataClass: 'personal' })).allowed).toBe(true);
    expect((await checkModelUse(t.ctx, { useCaseKey: support.key, modelName: 'gpt-4o', dataClass: 'personal' })).allowed).toBe(false);

    const open = await t.ctx.repos.incidents.list({ status: ['reported', 'triaged', 'mitigating'] });
    expect(open.map((i) => i.key)).toEqual(summary.incidents);
    expect(open[0].description).toContain('[REDACTED:email]');
    const pending = await t.ctx.repos.approvals.list({ status: 'pending' });
    expect(pending.map((a) => a.key)).toEqual(summary.pendingApprovals);

    const reviews = await t.ctx.repos.reviews.list({ open: true });
    expect(reviews).toHaveLength(5); // every use case but the prohibited one
    const v = await verifyAudit(t.ctx.repos.audit);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThan(40);
  });

  it('seeds nine months of history ending now: stage times, a stalled pilot, overdue reviews, a running Art. 73 clock, a restricted model', async () => {
    const now = t.clock.now();
    const ucs = await t.ctx.repos.useCases.list();
    const oldest = Math.min(...ucs.map((u) => u.createdAt.getTime()));
    expect(now.getTime() - oldest).toBeGreaterThan(200 * DAY_MS);
    // Nothing is dated after "now": the seed's clock ran up to the moment it was started.
    for await (const e of t.ctx.repos.audit.all('stored')) expect(e.at.getTime()).toBeLessThanOrEqual(now.getTime());
    const people = await t.ctx.repos.people.list();
    expect(Math.min(...people.map((p) => p.createdAt.getTime()))).toBe(now.getTime() - DEMO_HISTORY_DAYS * DAY_MS);

    const kpis = await computeKpis(t.ctx);
    expect(kpis.cycleTimeByStage.prototype!.medianDays).toBeGreaterThan(10);
    expect(kpis.ideaToProduction.medianDays).toBeGreaterThan(100);
    expect(kpis.approvalLatency.medianDays).toBeGreaterThan(0.5);
    expect(kpis.stalled.map((s) => [s.useCaseKey, s.stage])).toEqual([['UC-2', 'pilot']]);
    expect(kpis.approvalsWaiting.map((a) => a.useCaseKey)).toEqual(['UC-4']);

    const stalled = findStalled(ucs, stalledLimits(t.ctx), now);
    expect(stalled.map((s) => s.useCase.key)).toEqual(['UC-2']);
    expect(stalled[0].days).toBeGreaterThan(60);

    const overdue = await listReviews(t.ctx, { overdue: true });
    expect(overdue.map((r) => r.useCaseKey).sort()).toEqual(['UC-2', 'UC-3']);
    expect(kpis.overdueReviews.map((r) => r.useCaseKey).sort()).toEqual(['UC-2', 'UC-3']);
    // The live use case's first review counts from go-live, not from its proposal.
    const live = ucs.find((u) => u.key === 'UC-1')!;
    const goLive = live.stageHistory.find((h) => h.to === 'production')!.at;
    expect(live.nextReviewDue!.getTime()).toBe(goLive.getTime() + 365 * DAY_MS);

    const [incident] = await t.ctx.repos.incidents.list();
    expect(incident.serious).toBeDefined();
    expect(incident.serious!.deadline.getTime()).toBeGreaterThan(now.getTime());
    expect(incident.serious!.deadline.getTime()).toBe(incident.serious!.awareAt.getTime() + 15 * DAY_MS);
    expect(kpis.incidents.seriousOpen).toEqual([{ incidentKey: incident.key, deadline: incident.serious!.deadline, overdue: false }]);

    const mistral = (await t.ctx.repos.models.get('mistral-small'))!;
    expect(mistral.status).toBe('restricted');
    expect(mistral.latestEval!.passed).toBe(false);
    expect(mistral.statusReason).toContain(mistral.latestEval!.runId);
    const statusChanges = (await t.ctx.repos.audit.history('model:mistral-small')).filter((e) => e.action === 'model.status_changed').map((e) => e.data?.to);
    expect(statusChanges).toEqual(['approved', 'restricted']);
  });

  it('does nothing when people exist', async () => {
    const before = await t.ctx.repos.audit.count();
    const again = await seedDemoUntilComplete(t.ctx);
    expect(again.seeded).toBe(false);
    expect(await t.ctx.repos.audit.count()).toBe(before);
    expect(await t.ctx.repos.useCases.list()).toHaveLength(6);
  });
});
