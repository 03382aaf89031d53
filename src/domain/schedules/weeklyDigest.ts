/**
 * The weekly governance digest to the governance channel: cycle times, stalled use cases,
 * approvals waiting and their age, incidents and overdue reviews. One per ISO week: the key
 * carries the week, so the job may run as often as it likes.
 */
import type { Approval, Incident, Review, UseCase } from '../types';
import { enqueueAll, notice, type ScheduleContext } from './context';
import { DAY_MS, addDays, isoWeek } from './dates';
import { findStalled, stalledLimits } from './sweepStalled';
import { organisationReadiness, orgReadinessLine, type OrgReadiness } from '../evidence/orgReadiness';

export interface DigestFigures {
  week: string;
  useCasesByStage: Record<string, number>;
  /** Median days from proposal to production, over use cases that reached production. */
  medianDaysToProduction: number | null;
  reachedProductionThisWeek: number;
  stalled: number;
  approvalsWaiting: number;
  oldestApprovalDays: number | null;
  incidentsOpen: number;
  incidentsReportedThisWeek: number;
  art73ReportsPending: number;
  reviewsOverdue: number;
}

const OPEN_INCIDENT = new Set(['reported', 'triaged', 'mitigating']);

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Pure: the digest's figures from the stored records at `now`. */
export function digestFigures(
  data: { useCases: UseCase[]; approvals: Approval[]; incidents: Incident[]; reviews: Review[] },
  stalledAfter: ReadonlyMap<string, number>,
  now: Date,
): DigestFigures {
  const weekAgo = addDays(now, -7);
  const useCasesByStage: Record<string, number> = {};
  const toProduction: number[] = [];
  let reachedProductionThisWeek = 0;
  for (const uc of data.useCases) {
    useCasesByStage[uc.stage] = (useCasesByStage[uc.stage] ?? 0) + 1;
    const prod = uc.stageHistory.find((h) => h.to === 'production');
    if (prod) {
      toProduction.push(Math.round((prod.at.getTime() - uc.createdAt.getTime()) / DAY_MS));
      if (prod.at >= weekAgo) reachedProductionThisWeek++;
    }
  }
  const pending = data.approvals.filter((a) => a.status === 'pending');
  const oldest = pending.reduce<Date | null>((m, a) => (!m || a.createdAt < m ? a.createdAt : m), null);
  return {
    week: isoWeek(now),
    useCasesByStage,
    medianDaysToProduction: median(toProduction),
    reachedProductionThisWeek,
    stalled: findStalled(data.useCases, stalledAfter, now).length,
    approvalsWaiting: pending.length,
    oldestApprovalDays: oldest ? Math.floor((now.getTime() - oldest.getTime()) / DAY_MS) : null,
    incidentsOpen: data.incidents.filter((i) => OPEN_INCIDENT.has(i.status)).length,
    incidentsReportedThisWeek: data.incidents.filter((i) => i.createdAt >= weekAgo).length,
    art73ReportsPending: data.incidents.filter((i) => i.serious && !i.serious.reportSubmittedAt).length,
    reviewsOverdue: data.reviews.filter((r) => !r.completedAt && r.dueAt < now).length,
  };
}

export const digestKey = (week: string): string => `digest.weekly:${week}`;

/** `readiness`: EU AI Act readiness across the use cases (sendWeeklyDigest reads the compliance records for it). */
export function digestText(f: DigestFigures, readiness?: OrgReadiness): string {
  const stages = Object.entries(f.useCasesByStage).map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
  return [
    `Governance digest ${f.week}`,
    `Use cases: ${stages}.`,
    `Median days to production: ${f.medianDaysToProduction ?? '—'}; reached production this week: ${f.reachedProductionThisWeek}.`,
    `Stalled: ${f.stalled}.`,
    `Approvals waiting: ${f.approvalsWaiting}${f.oldestApprovalDays !== null ? ` (oldest ${f.oldestApprovalDays} days)` : ''}.`,
    `Incidents open: ${f.incidentsOpen}; reported this week: ${f.incidentsReportedThisWeek}; Art. 73 reports pending: ${f.art73ReportsPending}.`,
    `Reviews overdue: ${f.reviewsOverdue}.`,
    ...(readiness ? [orgReadinessLine(readiness)] : []),
  ].join('\n');
}

export async function sendWeeklyDigest(ctx: ScheduleContext): Promise<{ week: string; queued: boolean; figures: DigestFigures; readiness: OrgReadiness }> {
  const now = ctx.clock.now();
  const [useCases, approvals, incidents, reviews] = await Promise.all([
    ctx.repos.useCases.list(),
    ctx.repos.approvals.list(),
    ctx.repos.incidents.list(),
    ctx.repos.reviews.list({ open: true }),
  ]);
  const figures = digestFigures({ useCases, approvals, incidents, reviews }, stalledLimits(ctx), now);
  const readiness = await organisationReadiness(ctx, useCases, now);
  const text = digestText(figures, readiness);
  const card = notice(`Governance digest ${figures.week}`, text, [
    { label: 'Stalled', value: String(figures.stalled) },
    { label: 'Approvals waiting', value: String(figures.approvalsWaiting) },
    { label: 'Incidents open', value: String(figures.incidentsOpen) },
    { label: 'Reviews overdue', value: String(figures.reviewsOverdue) },
    { label: 'Obligations missing', value: String(readiness.totals.missing) },
  ]);
  const queued = (await enqueueAll(ctx, [{ key: digestKey(figures.week), to: { channel: 'governance' }, text, card }])) === 1;
  return { week: figures.week, queued, figures, readiness };
}
