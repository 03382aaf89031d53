/**
 * The KPI dashboard: the same numbers as the `kpis` command (computeKpis, kpiGroups), drawn as
 * inline SVG bars, plus the open reviews (upcoming and overdue) and the undelivered
 * notifications as tables.
 */
import { formatDay, stageName, tierLabel } from '../../conversation/cards/format';
import { kpiGroups } from '../../conversation/handlers';
import { escapeHtml } from '../../conversation/render/html';
import { computeKpis, type Kpis } from '../../domain/metrics/computeKpis';
import { DAY_MS } from '../../domain/metrics/stats';
import type { Policy } from '../../domain/policy';
import type { DomainContext } from '../../domain/ports';
import { listReviews } from '../../domain/reviews/listReviews';
import { SEVERITIES, type Review, type Severity, type Stage } from '../../domain/types';
import { type Bar, type BarTone, barChart, formatNumber } from './charts';
import { page } from './layout';
import { readinessPanel } from './readinessChart';
import { listUndelivered, type UndeliveredSource, undeliveredTable } from './undelivered';

const SEVERITY_TONE: Record<Severity, BarTone> = { sev1: 'danger', sev2: 'warning', sev3: 'info', sev4: 'neutral' };
/** Approvals older than this are drawn as needing attention (the kpis card uses the same). */
const OLD_APPROVAL_DAYS = 7;
const MAX_ROWS = 25;

const panel = (title: string, chart: string, note?: string): string =>
  `<section class="panel"><h2>${escapeHtml(title)}</h2>${note ? `<p class="panel-note">${escapeHtml(note)}</p>` : ''}${chart}</section>`;

export function cycleTimeBars(k: Kpis, policy: Policy): Bar[] {
  return Object.entries(k.cycleTimeByStage)
    .filter(([, s]) => s && s.medianDays !== null)
    // "median of 3 stays": the value is the middle of that many completed stays, not a total.
    .map(([stage, s]) => ({ label: stageName(policy, stage as Stage), value: s!.medianDays!, note: `median of ${s!.count} ${s!.count === 1 ? 'stay' : 'stays'}` }));
}

export function stalledBars(k: Kpis): Bar[] {
  return k.stalled.slice(0, MAX_ROWS).map((s) => ({ label: `${s.useCaseKey} · ${s.title}`, value: s.daysInStage, tone: 'warning', note: `(limit ${s.stalledAfterDays} d)` }));
}

export function approvalBars(k: Kpis): Bar[] {
  return k.approvalsWaiting.slice(0, MAX_ROWS).map((a) => ({
    label: `${a.approvalKey} · ${a.useCaseKey}`,
    value: a.ageDays,
    tone: a.ageDays > OLD_APPROVAL_DAYS ? 'warning' : 'info',
    note: `(waiting on ${a.waitingOn.length})`,
  }));
}

export function categoryBars(k: Kpis, policy: Policy): Bar[] {
  return Object.entries(k.incidents.byCategory)
    .sort(([, a], [, b]) => b.total - a.total)
    .map(([id, c]) => ({ label: policy.incidents.categories.find((x) => x.id === id)?.name ?? id, value: c.total, tone: c.open ? 'warning' : 'neutral', note: `(${c.open} open)` }));
}

export function severityBars(k: Kpis): Bar[] {
  return SEVERITIES.map((s) => ({ label: s.toUpperCase(), value: k.incidents.bySeverity[s].total, tone: SEVERITY_TONE[s], note: `(${k.incidents.bySeverity[s].open} open)` }));
}

function tiles(k: Kpis, undelivered: number): string {
  // The per-stage figures have their own charts below; the tiles keep the headline numbers.
  const headline = (group: string, label: string) => (group !== 'Portfolio' && group !== 'Cycle time') || label === 'Use cases' || label === 'Idea to production';
  const metrics = kpiGroups(k).flatMap((g) => g.metrics.filter((m) => headline(g.title, m.label)));
  metrics.push({ label: 'Undelivered notifications', value: undelivered, ...(undelivered ? { tone: 'danger' as const } : {}) });
  return `<div class="tiles">${metrics
    .map((m) => `<div class="tile${m.tone ? ` tile-${m.tone}` : ''}"><span class="tile-value">${escapeHtml(String(m.value))}</span><span class="tile-label">${escapeHtml(m.label)}</span></div>`)
    .join('')}</div>`;
}

function reviewsTable(reviews: readonly Review[], now: Date): string {
  if (!reviews.length) return '<p class="chart-empty" data-chart="reviews">No open reviews.</p>';
  const rows = [...reviews]
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .slice(0, MAX_ROWS)
    .map((r) => {
      const days = (r.dueAt.getTime() - now.getTime()) / DAY_MS;
      const overdue = days < 0;
      const when = overdue ? `overdue by ${formatNumber(Math.abs(days))} d` : `due in ${formatNumber(days)} d`;
      return `<tr class="${overdue ? 'overdue' : 'upcoming'}"><td>${escapeHtml(r.useCaseKey)}</td><td>${r.cycle}</td><td>${escapeHtml(tierLabel(r.tier))}</td><td>${escapeHtml(formatDay(r.dueAt))}</td><td>${escapeHtml(when)}</td></tr>`;
    })
    .join('');
  return `<table class="reviews" data-chart="reviews"><thead><tr><th>Use case</th><th>Cycle</th><th>Tier</th><th>Due</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export async function dashboardPage(ctx: DomainContext, deliveries: UndeliveredSource): Promise<string> {
  const [k, reviews, undelivered, people] = await Promise.all([
    computeKpis(ctx, {}),
    listReviews(ctx, { open: true }),
    listUndelivered(deliveries),
    ctx.repos.people.list(),
  ]);
  const p = ctx.policy;
  const body = `<h1>Operating model dashboard</h1>
<p class="panel-note">Computed ${escapeHtml(k.at.toISOString().slice(0, 16).replace('T', ' '))} UTC from the live data: the same figures as the <code>kpis</code> command.</p>
${tiles(k, undelivered.length)}
<div class="panels">
${panel('Cycle time per stage', barChart({ id: 'cycle-time', title: 'Median days spent in each stage', bars: cycleTimeBars(k, p), unit: ' d', empty: 'No use case has completed a stage yet.' }), 'The median is the middle value: half of the completed stays in a stage were shorter, half longer. Stays still running are not counted.')}
${panel('Stalled use cases', barChart({ id: 'stalled', title: 'Days in the current stage, past its limit', bars: stalledBars(k), unit: ' d', empty: 'Nothing is stalled.' }))}
${panel('Approvals waiting', barChart({ id: 'approvals', title: 'Age of each pending approval in days', bars: approvalBars(k), unit: ' d', empty: 'No approval is waiting.' }), 'Age in days, oldest first.')}
${panel('Incidents by category', barChart({ id: 'incidents-category', title: 'Incidents by category', bars: categoryBars(k, p), empty: 'No incidents reported.' }))}
${panel('Incidents by severity', barChart({ id: 'incidents-severity', title: 'Incidents by severity', bars: severityBars(k), empty: 'No incidents reported.' }))}
${await readinessPanel(ctx, k.at)}
${panel('Reviews: upcoming and overdue', reviewsTable(reviews, k.at))}
${panel('Undelivered notifications', undeliveredTable(undelivered, people), 'Failed deliveries wait for a retry; dead ones were given up and need someone to pass the message on.')}
</div>`;
  return page({ title: 'Dashboard', current: 'dashboard', body });
}
