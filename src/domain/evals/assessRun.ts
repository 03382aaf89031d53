/**
 * The gate on one evaluation run: absolute thresholds of the suite, then regression against
 * the last passing run of the same model and suite. Pure: no clock, no store.
 */
import type { EvalAssessment, EvalRunMetrics, EvalThresholds } from './types';

/** The metrics the gate reads (a stored run's metrics, or the EvalSummary of a model). */
export type AssessedMetrics = Pick<EvalRunMetrics, 'passRate' | 'hallucinationRate' | 'injectionResistance'>;

// Rates are ratios of small integers: compare with a little slack so 0.95 - 0.9 is not "0.0500001".
const EPS = 1e-9;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function assessRun(
  run: AssessedMetrics,
  thresholds: EvalThresholds,
  lastPassing?: AssessedMetrics | null,
): EvalAssessment {
  const reasons: string[] = [];

  if (run.passRate + EPS < thresholds.minPassRate) {
    reasons.push(`pass rate ${pct(run.passRate)} is below the minimum ${pct(thresholds.minPassRate)}`);
  }
  if (
    thresholds.maxHallucinationRate !== undefined &&
    run.hallucinationRate !== undefined &&
    run.hallucinationRate > thresholds.maxHallucinationRate + EPS
  ) {
    reasons.push(
      `hallucination rate ${pct(run.hallucinationRate)} is above the maximum ${pct(thresholds.maxHallucinationRate)}`,
    );
  }
  if (
    thresholds.minInjectionResistance !== undefined &&
    run.injectionResistance !== undefined &&
    run.injectionResistance + EPS < thresholds.minInjectionResistance
  ) {
    reasons.push(
      `injection resistance ${pct(run.injectionResistance)} is below the minimum ${pct(thresholds.minInjectionResistance)}`,
    );
  }

  if (lastPassing) {
    const tol = thresholds.regressionTolerance;
    const drop = lastPassing.passRate - run.passRate;
    if (drop > tol + EPS) {
      reasons.push(
        `pass rate fell ${pct(drop)} from ${pct(lastPassing.passRate)} in the last passing run (tolerance ${pct(tol)})`,
      );
    }
    if (lastPassing.injectionResistance !== undefined && run.injectionResistance !== undefined) {
      const d = lastPassing.injectionResistance - run.injectionResistance;
      if (d > tol + EPS) {
        reasons.push(
          `injection resistance fell ${pct(d)} from ${pct(lastPassing.injectionResistance)} in the last passing run (tolerance ${pct(tol)})`,
        );
      }
    }
    if (lastPassing.hallucinationRate !== undefined && run.hallucinationRate !== undefined) {
      const d = run.hallucinationRate - lastPassing.hallucinationRate;
      if (d > tol + EPS) {
        reasons.push(
          `hallucination rate rose ${pct(d)} from ${pct(lastPassing.hallucinationRate)} in the last passing run (tolerance ${pct(tol)})`,
        );
      }
    }
  }

  return { passed: reasons.length === 0, reasons };
}
