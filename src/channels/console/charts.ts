/**
 * Inline SVG charts for the dashboard. Pure functions, no library: the console must work
 * offline and under a CSP that allows nothing but itself. Colours come from CSS classes
 * (console.css), never style attributes, so the CSP needs no 'unsafe-inline'.
 */
import { escapeHtml } from '../../conversation/render/html';

export type BarTone = 'info' | 'good' | 'warning' | 'danger' | 'neutral';

export interface Bar {
  label: string;
  value: number;
  tone?: BarTone;
  /** Shown after the value, e.g. "of 3 total". */
  note?: string;
}

export interface BarChartInput {
  /** Accessible name, also the chart's <title>. */
  title: string;
  bars: readonly Bar[];
  /** Unit appended to each value, e.g. "d". */
  unit?: string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty: string;
  /** Identifies the chart for tests and styling. */
  id: string;
}

const ROW = 26;
const LABEL_W = 170;
const BAR_W = 300;
const VALUE_W = 150;
const WIDTH = LABEL_W + BAR_W + VALUE_W;

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Two decimals at most, no trailing zeros: 1.5, 2, 0.25. */
export const formatNumber = (n: number): string => String(Math.round(n * 100) / 100);

/** Horizontal bars: labels can be long (use case titles), so they get a column of their own. */
export function barChart({ title, bars, unit = '', empty, id }: BarChartInput): string {
  if (!bars.length) return `<p class="chart-empty" data-chart="${escapeHtml(id)}">${escapeHtml(empty)}</p>`;
  const max = Math.max(...bars.map((b) => b.value), 0);
  const height = bars.length * ROW + 8;
  const rows = bars.map((b, i) => {
    const y = 4 + i * ROW;
    // A zero still shows a sliver so the row reads as "measured: zero", not "missing".
    const w = max > 0 ? Math.max(2, Math.round((b.value / max) * BAR_W)) : 2;
    const value = `${formatNumber(b.value)}${unit}${b.note ? ` ${b.note}` : ''}`;
    return (
      `<g class="bar bar-${b.tone ?? 'info'}" data-label="${escapeHtml(b.label)}" data-value="${formatNumber(b.value)}">` +
      `<title>${escapeHtml(`${b.label}: ${value}`)}</title>` +
      `<text x="${LABEL_W - 8}" y="${y + 17}" text-anchor="end" class="bar-label">${escapeHtml(clip(b.label, 26))}</text>` +
      `<rect x="${LABEL_W}" y="${y + 3}" width="${w}" height="${ROW - 8}" rx="3"></rect>` +
      `<text x="${LABEL_W + w + 6}" y="${y + 17}" class="bar-value">${escapeHtml(value)}</text>` +
      `</g>`
    );
  });
  return (
    `<svg class="chart" data-chart="${escapeHtml(id)}" role="img" aria-label="${escapeHtml(title)}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>${rows.join('')}</svg>`
  );
}
