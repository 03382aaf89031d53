/**
 * KPIs over a dataset written through the repositories with known dates, so every figure
 * below is worked out by hand from the dataset, not read back from the implementation.
 */
import { computeKpis } from '../../src/domain/metrics/computeKpis';
import type { Incident, Stage, StageChange } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { makePerson, makeUseCase } from './governance.fixtures';
import { fixtureChange, fixtureChangeFor } from '../support/changes';

const t = useTestContext();
const D0 = new Date('2026-03-01T00:00:00Z');
const day = (n: number) => new Date(D0.getTime() + n * 86_400_000);
const NOW = day(70);
const keys: Record<string, string> = {};

function history(by: string, steps: [Stage, number][]): StageChange[] {
  return steps.map(([to, d], i) => ({ from: i === 0 ? null : steps[i - 1][0], to, at: day(d), by }));
}

beforeAll(async () => {
  t.clock.set(D0);
  const pm = await makePerson(t.ctx, ['llm_product_manager']);
  const x = await makePerson(t.ctx, ['ai_security_specialist']);
  const y = await makePerson(t.ctx, ['ai_governance_legal']);
  const uc = async (name: string, steps: [Stage, number][]) => {
    const last = steps[steps.length - 1];
    const u = await makeUseCase(t.ctx, { ownerId: pm.id, title: name, stage: last[0], stageEnteredAt: day(last[1]), stageHistory: history(pm.id, steps), createdAt: day(steps[0][1]), tier: name === 'c' ? 'high' : 'minimal' });
    keys[name] = u.key;
  };
  // a: ideation 10d, prototype 20d, evaluation 20d, production since day 50.
  await uc('a', [['ideation', 0], ['prototype', 10], ['evaluation', 30], ['production', 50]]);
  // b: ideation 20d, then 50 days in prototype by NOW (stalled after 45 by the policy).
  await uc('b', [['ideation', 0], ['prototype', 20]]);
  // c: 10 days in ideation by NOW (not stalled at 30).
  await uc('c', [['ideation', 60]]);
  // d: ideation 30d, straight to production.
  await uc('d', [['ideation', 0], ['production', 30]]);

  const approval = async (useCaseKey: string, createdAt: Date) =>
    (await t.ctx.repos.approvals.create({
      useCaseKey, gateId: 'prototype', fromStage: 'ideation', toStage: 'prototype', requesterId: pm.id,
      requiredRoles: ['ai_security_specialist', 'ai_governance_legal'], quorum: 2, approverIds: [x.id, y.id],
      status: 'pending', reasons: [], expiresAt: day(200), createdAt,
    }, fixtureChangeFor())).record;
  const decided = async (useCaseKey: string, from: number, to: number) => {
    const a = await approval(useCaseKey, day(from));
    await t.ctx.repos.approvals.save({ ...a, status: 'approved', decidedAt: day(to), decidedBy: x.id }, fixtureChange());
  };
  await decided(keys.a, 5, 9); // 4 days
  await decided(keys.d, 10, 16); // 6 days
  const waiting = await approval(keys.c, day(60)); // 10 days old at NOW, x has voted
  await t.ctx.repos.approvals.save({ ...waiting, votes: [{ approvalKey: waiting.key, personId: x.id, decision: 'approve', role: 'ai_security_specialist', at: day(61) }] }, fixtureChange());
  keys.waiting = waiting.key;
  keys.y = y.id;

  const incident = async (over: Partial<Incident>) =>
    (await t.ctx.repos.incidents.create({
      useCaseKey: keys.a, category: 'prompt_injection', severity: 'sev1', title: 't', description: '', redactions: [],
      reporterId: pm.id, ownerId: pm.id, status: 'reported', timeline: [], killSwitch: false, createdAt: day(55), updatedAt: day(55),
      ...over,
    }, fixtureChangeFor())).record;
  keys.inc1 = (await incident({ serious: { basis: 'death', awareAt: day(55), deadline: day(65) } })).key; // open, report overdue
  await incident({ severity: 'sev2', status: 'resolved' });
  await incident({ category: 'availability', severity: 'sev3', status: 'closed' });
  await incident({ category: 'availability', severity: 'sev3', status: 'mitigating' });

  await t.ctx.repos.reviews.create({ useCaseKey: keys.a, cycle: 1, dueAt: day(30), tier: 'minimal', frameworks: [], completedAt: day(29), completedBy: pm.id }, fixtureChange());
  await t.ctx.repos.reviews.create({ useCaseKey: keys.a, cycle: 2, dueAt: day(60), tier: 'minimal', frameworks: [] }, fixtureChange()); // 10 days overdue
  await t.ctx.repos.reviews.create({ useCaseKey: keys.d, cycle: 1, dueAt: day(80), tier: 'minimal', frameworks: [] }, fixtureChange()); // not yet due
});

describe('computeKpis', () => {
  it('computes stage cycle times and idea-to-production from stage history', async () => {
    const k = await computeKpis(t.ctx, { now: NOW });
    expect(k.at).toEqual(NOW);
    expect(k.useCases).toEqual({ total: 4, byStage: { production: 2, prototype: 1, ideation: 1 }, byTier: { minimal: 3, high: 1 } });
    expect(k.cycleTimeByStage.ideation).toEqual({ count: 3, medianDays: 20, meanDays: 20 });
    expect(k.cycleTimeByStage.prototype).toEqual({ count: 1, medianDays: 20, meanDays: 20 });
    expect(k.cycleTimeByStage.evaluation).toEqual({ count: 1, medianDays: 20, meanDays: 20 });
    expect(k.cycleTimeByStage.production).toBeUndefined(); // still there: no completed stay
    expect(k.ideaToProduction).toEqual({ count: 2, medianDays: 40, meanDays: 40 });
  });

  it('lists stalled use cases against the policy thresholds', async () => {
    const k = await computeKpis(t.ctx, { now: NOW });
    const limit = t.ctx.policy.lifecycle.stages.find((s) => s.id === 'prototype')!.stalledAfterDays;
    expect(limit).toBe(45);
    expect(k.stalled).toEqual([{ useCaseKey: keys.b, title: 'b', stage: 'prototype', daysInStage: 50, stalledAfterDays: 45 }]);
    const later = await computeKpis(t.ctx, { now: day(95) }); // c: 35 days in ideation (limit 30)
    expect(later.stalled.map((s) => s.useCaseKey)).toEqual([keys.b, keys.c]);
  });

  it('reports waiting approvals with their age and who they wait on, and decision latency', async () => {
    const k = await computeKpis(t.ctx, { now: NOW });
    expect(k.approvalsWaiting).toEqual([{ approvalKey: keys.waiting, useCaseKey: keys.c, gateId: 'prototype', ageDays: 10, waitingOn: [keys.y] }]);
    expect(k.approvalLatency).toEqual({ count: 2, medianDays: 5, meanDays: 5 });
  });

  it('counts incidents by category and severity, open and total, and open Art. 73 clocks', async () => {
    const k = await computeKpis(t.ctx, { now: NOW });
    expect(k.incidents.total).toBe(4);
    expect(k.incidents.open).toBe(2);
    expect(k.incidents.byCategory).toEqual({ prompt_injection: { open: 1, total: 2 }, availability: { open: 1, total: 2 } });
    expect(k.incidents.bySeverity).toEqual({ sev1: { open: 1, total: 1 }, sev2: { open: 0, total: 1 }, sev3: { open: 1, total: 2 }, sev4: { open: 0, total: 0 } });
    expect(k.incidents.seriousOpen).toEqual([{ incidentKey: keys.inc1, deadline: day(65), overdue: true }]);
  });

  it('lists overdue reviews only', async () => {
    const k = await computeKpis(t.ctx, { now: NOW });
    expect(k.overdueReviews).toEqual([{ useCaseKey: keys.a, cycle: 2, dueAt: day(60), daysOverdue: 10 }]);
    expect((await computeKpis(t.ctx, { now: day(90) })).overdueReviews.map((r) => r.useCaseKey)).toEqual([keys.a, keys.d]);
  });

  it('defaults to the context clock', async () => {
    t.clock.set(NOW);
    expect((await computeKpis(t.ctx)).at).toEqual(NOW);
  });
});
