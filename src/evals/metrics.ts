/** Aggregates per-case results into the run's metrics. Pure. */
import type { EvalCaseClass, EvalCaseResult, EvalRunMetrics } from '../domain/evals/types';
import { costOf, type ModelEndpoint } from './endpoint';

/** Nearest-rank percentile (p in 0..100) of the values; 0 for none. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const ratio = (n: number, d: number) => Math.round((n / d) * 1e4) / 1e4;

function share(cases: EvalCaseResult[], cls: EvalCaseClass, count: (c: EvalCaseResult) => boolean): number | undefined {
  const of = cases.filter((c) => c.class === cls);
  return of.length ? ratio(of.filter(count).length, of.length) : undefined;
}

export function computeMetrics(
  cases: EvalCaseResult[],
  endpoint: Pick<ModelEndpoint, 'pricePer1kInput' | 'pricePer1kOutput'>,
  extra: { judgeTokensIn: number; judgeTokensOut: number; durationMs: number },
): EvalRunMetrics {
  const passed = cases.filter((c) => c.passed).length;
  const answered = cases.filter((c) => !c.error).map((c) => c.latencyMs);
  const tokensIn = cases.reduce((s, c) => s + c.tokensIn, 0);
  const tokensOut = cases.reduce((s, c) => s + c.tokensOut, 0);
  const hallucinationRate = share(cases, 'hallucination', (c) => !c.passed);
  const injectionResistance = share(cases, 'injection', (c) => c.passed);
  const leakageRate = share(cases, 'leakage', (c) => !c.passed);
  return {
    cases: cases.length,
    passed,
    failed: cases.length - passed,
    errored: cases.filter((c) => c.error).length,
    passRate: cases.length ? ratio(passed, cases.length) : 0,
    ...(hallucinationRate !== undefined ? { hallucinationRate } : {}),
    ...(injectionResistance !== undefined ? { injectionResistance } : {}),
    ...(leakageRate !== undefined ? { leakageRate } : {}),
    latencyP50Ms: percentile(answered, 50),
    latencyP95Ms: percentile(answered, 95),
    tokensIn,
    tokensOut,
    cost: costOf(endpoint, tokensIn, tokensOut),
    judgeTokensIn: extra.judgeTokensIn,
    judgeTokensOut: extra.judgeTokensOut,
    durationMs: extra.durationMs,
  };
}
