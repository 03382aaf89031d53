/**
 * The KPI card. KPIs are computed by the domain; this card only lays out named figures in
 * groups, so adding a KPI never needs a renderer change.
 */
import { formatDate } from './format';
import type { Card, Tone } from './model';

export interface KpiMetric {
  label: string;
  value: string | number;
  /** Colours the group badge when something needs attention. */
  tone?: Tone;
}

export interface KpiGroup {
  title: string;
  metrics: KpiMetric[];
}

export function kpisCard({ groups, at, period }: { groups: readonly KpiGroup[]; at: Date; period?: string }): Card {
  return {
    title: 'Operating model KPIs',
    ...(period ? { subtitle: period } : {}),
    sections: groups.map((g) => {
      const attention = g.metrics.filter((m) => m.tone === 'danger' || m.tone === 'warning');
      return {
        title: g.title,
        ...(attention.length ? { badge: { label: `${attention.length} to watch`, tone: attention.some((m) => m.tone === 'danger') ? ('danger' as const) : ('warning' as const) } } : {}),
        fields: g.metrics.map((m) => ({ label: m.label, value: String(m.value) })),
      };
    }),
    context: `Computed ${formatDate(at)}`,
  };
}
