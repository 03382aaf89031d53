/**
 * The organisation's readiness: each active use case's obligations (the legal model, under the
 * dates in force on `now`) against its record, and the totals. Read by the dashboard chart and
 * the weekly digest; retired use cases owe nothing new and are left out.
 */
import { obligationsFor } from '../obligations/obligationsFor';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { readComplianceHead } from './complianceHead';
import { readinessOf, type Readiness } from './readiness';

export interface UseCaseReadiness extends Readiness {
  title: string;
  tier: UseCase['tier'];
}

export interface OrgReadiness {
  /** Use cases that owe at least one obligation (now or later), by key order. */
  useCases: UseCaseReadiness[];
  totals: { applies: number; met: number; missing: number; notYet: number; useCasesWithGaps: number };
}

export async function organisationReadiness(ctx: Pick<DomainContext, 'repos' | 'policy'>, useCases: readonly UseCase[], now: Date): Promise<OrgReadiness> {
  const active = useCases.filter((u) => u.stage !== 'retired').sort((a, b) => a.seq - b.seq);
  const rows: UseCaseReadiness[] = [];
  for (const uc of active) {
    const obligations = obligationsFor(uc, ctx.policy, now);
    if (!obligations.length) continue;
    rows.push({ ...readinessOf(uc, obligations, await readComplianceHead(ctx, uc.key)), title: uc.title, tier: uc.tier });
  }
  const sum = (f: (r: UseCaseReadiness) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    useCases: rows,
    totals: {
      applies: sum((r) => r.counts.applies),
      met: sum((r) => r.counts.met),
      missing: sum((r) => r.counts.missing),
      notYet: sum((r) => r.counts.notYet),
      useCasesWithGaps: rows.filter((r) => r.counts.missing > 0).length,
    },
  };
}

/** One line for chat and the digest: totals, then the use cases with the most missing. */
export function orgReadinessLine(r: OrgReadiness): string {
  if (!r.useCases.length) return 'EU AI Act readiness: no use case owes an obligation yet.';
  const t = r.totals;
  const worst = r.useCases.filter((u) => u.counts.missing).sort((a, b) => b.counts.missing - a.counts.missing || a.useCaseKey.localeCompare(b.useCaseKey, 'en', { numeric: true }));
  const gaps = worst.length ? ` Gaps: ${worst.slice(0, 5).map((u) => `${u.useCaseKey} (${u.counts.missing} missing)`).join(', ')}${worst.length > 5 ? `, and ${worst.length - 5} more` : ''}.` : '';
  return `EU AI Act readiness: ${t.applies} obligations apply across ${r.useCases.length} use cases: ${t.met} met, ${t.missing} missing; ${t.notYet} not yet applicable.${gaps}`;
}
