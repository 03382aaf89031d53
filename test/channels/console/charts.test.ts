/** The dashboard's SVG bars: pure, escaped, proportional, with an empty state. */
import { barChart, formatNumber } from '../../../src/channels/console/charts';

describe('barChart', () => {
  it('draws one bar per value, longest for the largest, with the values written out', () => {
    const svg = barChart({ id: 'x', title: 'Ages', unit: ' d', empty: 'none', bars: [{ label: 'A', value: 2 }, { label: 'B', value: 8, tone: 'warning' }] });
    expect(svg).toMatch(/^<svg class="chart" data-chart="x" role="img" aria-label="Ages"/);
    const widths = [...svg.matchAll(/<rect x="\d+" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([75, 300]);
    expect(svg).toContain('data-label="B" data-value="8"');
    expect(svg).toContain('>8 d</text>');
    expect(svg).toContain('class="bar bar-warning"');
  });

  it('escapes labels and shows a sliver for zero', () => {
    const svg = barChart({ id: 'x', title: 'T', empty: 'none', bars: [{ label: '<script>alert(1)</script>', value: 0 }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toMatch(/width="2"/);
  });

  it('says so when there is nothing to draw', () => {
    expect(barChart({ id: 'x', title: 'T', empty: 'No data <yet>', bars: [] })).toBe('<p class="chart-empty" data-chart="x">No data &lt;yet&gt;</p>');
    expect(formatNumber(1.005)).toBe('1');
    expect(formatNumber(2.5)).toBe('2.5');
  });
});
