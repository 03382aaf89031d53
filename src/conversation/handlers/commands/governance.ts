/** kpis, audit verify and record history. */
import { whereOf } from '../../../domain/audit/checkpointCheck';
import { verifyAudit } from '../../../domain/audit/verifyAudit';
import { computeKpis, type Kpis } from '../../../domain/metrics/computeKpis';
import type { Summary } from '../../../domain/metrics/stats';
import { getHistory } from '../../../domain/records/getHistory';
import type { Person } from '../../../domain/types';
import { humanise, indexPeople } from '../../cards/format';
import { historyCard } from '../../cards/history';
import { auditVerifyCard } from '../../cards/audit';
import { kpisCard, type KpiGroup } from '../../cards/kpis';
import type { HandlerDeps } from '../deps';
import type { Reply } from '../types';

// "3 d (median of 5)": the figure is the middle of that many measured cases, not a total.
const days = (s: Summary): string => (s.count ? `${s.medianDays} d (median of ${s.count})` : '—');

/** Lays the domain's KPIs out as named figures (shared with the digest and the dashboard). */
export function kpiGroups(k: Kpis): KpiGroup[] {
  const oldest = k.approvalsWaiting.reduce((m, a) => Math.max(m, a.ageDays), 0);
  return [
    {
      title: 'Portfolio',
      metrics: [
        { label: 'Use cases', value: k.useCases.total },
        ...Object.entries(k.useCases.byStage).map(([stage, n]) => ({ label: humanise(stage), value: n ?? 0 })),
      ],
    },
    {
      title: 'Cycle time',
      metrics: [
        { label: 'Idea to production', value: days(k.ideaToProduction) },
        ...Object.entries(k.cycleTimeByStage).map(([stage, s]) => ({ label: humanise(stage), value: s ? days(s) : '—' })),
      ],
    },
    {
      title: 'Flow',
      metrics: [
        { label: 'Stalled use cases', value: k.stalled.length, ...(k.stalled.length ? { tone: 'warning' as const } : {}) },
        { label: 'Approvals waiting', value: k.approvalsWaiting.length },
        { label: 'Oldest waiting', value: k.approvalsWaiting.length ? `${Math.round(oldest * 10) / 10} d` : '—', ...(oldest > 7 ? { tone: 'warning' as const } : {}) },
        { label: 'Approval latency', value: days(k.approvalLatency) },
      ],
    },
    {
      title: 'Risk',
      metrics: [
        { label: 'Open incidents', value: k.incidents.open, ...(k.incidents.open ? { tone: 'warning' as const } : {}) },
        { label: 'Serious incidents open', value: k.incidents.seriousOpen.length, ...(k.incidents.seriousOpen.length ? { tone: 'danger' as const } : {}) },
        { label: 'Overdue reviews', value: k.overdueReviews.length, ...(k.overdueReviews.length ? { tone: 'danger' as const } : {}) },
      ],
    },
  ];
}

export async function kpisReply({ ctx }: HandlerDeps): Promise<Reply> {
  const k = await computeKpis(ctx, {});
  return { cards: [kpisCard({ groups: kpiGroups(k), at: k.at })] };
}

export async function auditVerifyReply({ ctx }: HandlerDeps): Promise<Reply> {
  const result = await verifyAudit(ctx.repos.audit);
  const broken = result.firstBroken;
  return {
    cards: [
      auditVerifyCard({
        ok: result.ok,
        entries: result.entries,
        streams: result.streams,
        ...(result.checkpoint ? { checkpoint: result.checkpoint } : {}),
        ...(broken ? { broken: { where: whereOf(broken), reason: broken.reason } } : {}),
        checkedAt: ctx.clock.now(),
      }),
    ],
  };
}

/** `history UC-3`: the record's versions, who made each and why. */
export async function historyReply(deps: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const history = await getHistory(deps.ctx, { actorId: actor.id, key });
  const people = indexPeople(await (deps.ctx.repos.people.listForDisplay?.() ?? deps.ctx.repos.people.list()));
  return { cards: [historyCard(history, people)] };
}
