/**
 * The dashboard's EU AI Act readiness chart: one stacked bar per use case that owes obligations
 * (met, missing, not yet applicable), from the same organisationReadiness the weekly digest
 * uses. Inline SVG with CSS classes only, like ./charts (the console's CSP allows no inline style).
 */
import { escapeHtml } from '../../conversation/render/html';
import { organisationReadiness, type OrgReadiness } from '../../domain/evidence/orgReadiness';
import type { DomainContext } from '../../domain/ports';

const ROW = 26;
const LABEL_W = 170;
const BAR_W = 300;
const VALUE_W = 190;
const WIDTH = LABEL_W + BAR_W + VALUE_W;
const MAX_ROWS = 25;
const SEGMENTS = [
  { key: 'met', tone: 'good', label: 'met' },
  { key: 'missing', tone: 'danger', label: 'missing' },
  { key: 'notYet', tone: 'neutral', label: 'not yet applicable' },
] as const;

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function readinessChart(r: OrgReadiness): string {
  if (!r.useCases.length) return '<p class="chart-empty" data-chart="readiness">No use case owes an EU AI Act obligation yet.</p>';
  const rows = r.useCases.slice(0, MAX_ROWS);
  const max = Math.max(...rows.map((u) => u.items.length), 1);
  const height = rows.length * ROW + 8;
  const body = rows.map((u, i) => {
    const y = 4 + i * ROW;
    const label = `${u.useCaseKey} · ${u.title}`;
    const summary = `${u.counts.met} met, ${u.counts.missing} missing, ${u.counts.notYet} not yet`;
    let x = LABEL_W;
    const rects = SEGMENTS.map((s) => {
      const n = u.counts[s.key];
      if (!n) return '';
      const w = Math.max(2, Math.round((n / max) * BAR_W));
      const rect = `<g class="bar bar-${s.tone}" data-segment="${s.key}" data-value="${n}"><title>${escapeHtml(`${u.useCaseKey}: ${n} ${s.label}`)}</title><rect x="${x}" y="${y + 3}" width="${w}" height="${ROW - 8}"></rect></g>`;
      x += w;
      return rect;
    }).join('');
    return (
      `<g class="readiness-row" data-label="${escapeHtml(u.useCaseKey)}" data-met="${u.counts.met}" data-missing="${u.counts.missing}" data-not-yet="${u.counts.notYet}">` +
      `<title>${escapeHtml(`${label}: ${summary}`)}</title>` +
      `<text x="${LABEL_W - 8}" y="${y + 17}" text-anchor="end" class="bar-label">${escapeHtml(clip(label, 26))}</text>${rects}` +
      `<text x="${x + 6}" y="${y + 17}" class="bar-value">${escapeHtml(summary)}</text></g>`
    );
  });
  const t = r.totals;
  const title = `EU AI Act obligations per use case: ${t.met} met, ${t.missing} missing, ${t.notYet} not yet applicable`;
  return (
    `<svg class="chart" data-chart="readiness" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>${body.join('')}</svg>` +
    `<p class="panel-note">Green: met with evidence · red: missing · grey: not yet applicable under the dates in force. ${t.useCasesWithGaps} of ${r.useCases.length} use cases have gaps; <code>show UC-n</code> lists them.</p>`
  );
}

/** The dashboard panel (computed on each page load, like the other panels). */
export async function readinessPanel(ctx: DomainContext, now: Date): Promise<string> {
  const r = await organisationReadiness(ctx, await ctx.repos.useCases.list(), now);
  return `<section class="panel"><h2>EU AI Act readiness</h2>${readinessChart(r)}</section>`;
}
