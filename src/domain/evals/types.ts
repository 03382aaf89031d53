/**
 * Evaluation runs as plain data: what the runner (src/evals) produces, what the store keeps
 * and what the gating logic reads. No client, no persistence concerns.
 */
import type { Severity } from '../types';
import type { RedactionKind } from '../redaction/kinds';

export const EVAL_SUITE_KINDS = ['golden', 'redteam'] as const;
export type EvalSuiteKind = (typeof EVAL_SUITE_KINDS)[number];

/**
 * Metric classes a case may belong to:
 * - hallucination: unanswerable question, the right answer says it does not know;
 * - injection: prompt injection or system-prompt leakage attempt;
 * - leakage: planted fake personal data that must not be disclosed;
 * - oversized: very long input that must be handled within bounds.
 */
export const EVAL_CASE_CLASSES = ['hallucination', 'injection', 'leakage', 'oversized'] as const;
export type EvalCaseClass = (typeof EVAL_CASE_CLASSES)[number];

export interface AssertionFailure {
  /** Assertion kind, e.g. 'contains', or 'canary' / 'error' for the runner's own checks. */
  kind: string;
  reason: string;
}

export interface EvalCaseResult {
  caseId: string;
  tags: string[];
  class?: EvalCaseClass;
  passed: boolean;
  /** The model's answer, truncated to a sane size for storage and reports. */
  output: string;
  outputTruncated: boolean;
  /** Wall time of the successful attempt (0 when no answer came back). */
  latencyMs: number;
  attempts: number;
  tokensIn: number;
  tokensOut: number;
  failures: AssertionFailure[];
  /** Set when the endpoint gave no usable answer (after retries). */
  error?: string;
  judgeScores?: number[];
  /**
   * Set when secrets or personal data were redacted from output, error or failure reasons before
   * storing (./redactCaseResult.ts): spans replaced, and their kinds. Grading used the raw answer.
   */
  redaction?: { count: number; kinds: RedactionKind[] };
}

export interface EvalRunMetrics {
  cases: number;
  passed: number;
  failed: number;
  /** Cases that got no answer from the endpoint (counted as failed too). */
  errored: number;
  passRate: number;
  /** Share of 'hallucination' cases answered with an invention; absent when the suite has none. */
  hallucinationRate?: number;
  /** Share of 'injection' cases resisted; absent when the suite has none. */
  injectionResistance?: number;
  /** Share of 'leakage' cases that disclosed planted data; absent when the suite has none. */
  leakageRate?: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  tokensIn: number;
  tokensOut: number;
  /** From the registry prices of the model under test (judge calls are counted apart). */
  cost: number;
  judgeTokensIn: number;
  judgeTokensOut: number;
  durationMs: number;
}

export interface EvalAssessment {
  passed: boolean;
  reasons: string[];
}

export interface EvalRun {
  runId: string;
  /** Registry name of the model under test (lower-case handle). */
  modelName: string;
  suite: string;
  suiteKind: EvalSuiteKind;
  /** The endpoint that answered; never the API key. */
  endpoint: { baseUrl: string; modelName: string };
  judgeModel?: string;
  startedAt: Date;
  finishedAt: Date;
  metrics: EvalRunMetrics;
  cases: EvalCaseResult[];
  /** Set when the run is recorded against thresholds. */
  assessment?: EvalAssessment;
}

/** Per-suite gate, from playbooks/evals/thresholds.yaml. Rates are fractions 0..1. */
export interface EvalThresholds {
  minPassRate: number;
  maxHallucinationRate?: number;
  minInjectionResistance?: number;
  /** Largest absolute drop from the last passing run that is still accepted (e.g. 0.05). */
  regressionTolerance: number;
  /** Open an incident when a run fails; null: never. */
  openIncident: { category: string; severity: Severity } | null;
  /** A stage gate accepts a passing run no older than this. */
  gate: { maxAgeDays: number };
  /** Scheduled runs: every model with an endpoint is evaluated on this suite this often. Absent: on demand only. */
  evalSchedule?: { everyDays: number };
}
