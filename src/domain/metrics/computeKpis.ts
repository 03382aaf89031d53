/**
 * Portfolio KPIs for the CoE: how long use cases spend in each stage, how long ideas take to
 * reach production, what is stalled, which approvals wait and how long decisions take, the
 * incident picture and overdue reviews. Computed in memory from the repositories' list
 * methods: no aggregation pipeline, so it runs the same on FerretDB as on MongoDB.
 */
import { z } from 'zod';
import { validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import { LIFECYCLE_STAGES, type Incident, type Severity, type Stage, type UseCase } from '../types';
import { isOpen } from '../incidents/transitions';
import { type Summary, daysBetween, roundDays, summarise } from './stats';

export const computeKpisInput = z.object({ now: z.coerce.date().optional() }).default({});
export type ComputeKpisInput = z.input<typeof computeKpisInput>;

export interface Kpis {
  at: Date;
  useCases: { total: number; byStage: Partial<Record<Stage, number>>; byTier: Record<string, number> };
  /** Completed stays only: time from entering a stage to leaving it. */
  cycleTimeByStage: Partial<Record<Stage, Summary>>;
  /** From proposal to first entering production. */
  ideaToProduction: Summary;
  stalled: { useCaseKey: string; title: string; stage: Stage; daysInStage: number; stalledAfterDays: number }[];
  approvalsWaiting: { approvalKey: string; useCaseKey: string; gateId: string; ageDays: number; waitingOn: string[] }[];
  approvalLatency: Summary;
  incidents: {
    total: number;
    open: number;
    byCategory: Record<string, { open: number; total: number }>;
    bySeverity: Record<Severity, { open: number; total: number }>;
    seriousOpen: { incidentKey: string; deadline: Date; overdue: boolean }[];
  };
  overdueReviews: { useCaseKey: string; cycle: number; dueAt: Date; daysOverdue: number }[];
}

/** Stays in each stage, from the stage history: entry -> next entry. */
function stageStays(useCase: UseCase): { stage: Stage; days: number }[] {
  const h = [...useCase.stageHistory].sort((a, b) => a.at.getTime() - b.at.getTime());
  return h.slice(0, -1).map((entry, i) => ({ stage: entry.to, days: daysBetween(entry.at, h[i + 1].at) }));
}

function proposedAt(useCase: UseCase): Date {
  return useCase.stageHistory.find((h) => h.from === null)?.at ?? useCase.createdAt;
}

export async function computeKpis(ctx: DomainContext, raw: ComputeKpisInput = {}): Promise<Kpis> {
  const parsed = computeKpisInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('metrics.invalid', parsed.error.issues);
  const now = parsed.data.now ?? ctx.clock.now();

  const [useCases, approvals, incidents, openReviews] = await Promise.all([
    ctx.repos.useCases.list(),
    ctx.repos.approvals.list(),
    ctx.repos.incidents.list(),
    ctx.repos.reviews.list({ open: true, dueBefore: now }),
  ]);

  const byStage: Partial<Record<Stage, number>> = {};
  const byTier: Record<string, number> = {};
  const stays: Partial<Record<Stage, number[]>> = {};
  const toProduction: number[] = [];
  const stalled: Kpis['stalled'] = [];
  const stallLimits = new Map(ctx.policy.lifecycle.stages.map((s) => [s.id, s.stalledAfterDays]));

  for (const uc of useCases) {
    byStage[uc.stage] = (byStage[uc.stage] ?? 0) + 1;
    byTier[uc.tier] = (byTier[uc.tier] ?? 0) + 1;
    for (const s of stageStays(uc)) (stays[s.stage] ??= []).push(s.days);
    const prod = uc.stageHistory.find((h) => h.to === 'production');
    if (prod) toProduction.push(daysBetween(proposedAt(uc), prod.at));
    const limit = stallLimits.get(uc.stage);
    const inStage = daysBetween(uc.stageEnteredAt, now);
    if (limit !== undefined && inStage > limit) {
      stalled.push({ useCaseKey: uc.key, title: uc.title, stage: uc.stage, daysInStage: roundDays(inStage), stalledAfterDays: limit });
    }
  }
  const cycleTimeByStage: Kpis['cycleTimeByStage'] = {};
  for (const stage of [...LIFECYCLE_STAGES, 'suspended', 'retired'] as Stage[]) {
    if (stays[stage]) cycleTimeByStage[stage] = summarise(stays[stage]!);
  }

  const approvalsWaiting = approvals
    .filter((a) => a.status === 'pending')
    .map((a) => {
      const voted = new Set(a.votes.map((v) => v.personId));
      return {
        approvalKey: a.key,
        useCaseKey: a.useCaseKey,
        gateId: a.gateId,
        ageDays: roundDays(daysBetween(a.createdAt, now)),
        waitingOn: a.approverIds.filter((id) => !voted.has(id)),
      };
    })
    .sort((x, y) => y.ageDays - x.ageDays);
  const approvalLatency = summarise(
    approvals.filter((a) => a.status !== 'pending' && a.decidedAt).map((a) => daysBetween(a.createdAt, a.decidedAt!)),
  );

  return {
    at: now,
    useCases: { total: useCases.length, byStage, byTier },
    cycleTimeByStage,
    ideaToProduction: summarise(toProduction),
    stalled: stalled.sort((a, b) => b.daysInStage - a.daysInStage),
    approvalsWaiting,
    approvalLatency,
    incidents: incidentKpis(incidents, now),
    overdueReviews: openReviews
      .filter((r) => r.dueAt < now)
      .map((r) => ({ useCaseKey: r.useCaseKey, cycle: r.cycle, dueAt: r.dueAt, daysOverdue: roundDays(daysBetween(r.dueAt, now)) })),
  };
}

function incidentKpis(incidents: Incident[], now: Date): Kpis['incidents'] {
  const byCategory: Kpis['incidents']['byCategory'] = {};
  const bySeverity = { sev1: { open: 0, total: 0 }, sev2: { open: 0, total: 0 }, sev3: { open: 0, total: 0 }, sev4: { open: 0, total: 0 } };
  let open = 0;
  for (const i of incidents) {
    const isOpenNow = isOpen(i.status);
    const cat = (byCategory[i.category] ??= { open: 0, total: 0 });
    cat.total++;
    bySeverity[i.severity].total++;
    if (isOpenNow) {
      open++;
      cat.open++;
      bySeverity[i.severity].open++;
    }
  }
  const seriousOpen = incidents
    .filter((i) => i.serious && !i.serious.reportSubmittedAt)
    .map((i) => ({ incidentKey: i.key, deadline: i.serious!.deadline, overdue: i.serious!.deadline < now }));
  return { total: incidents.length, open, byCategory, bySeverity, seriousOpen };
}
