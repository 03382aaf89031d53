import type { EvalSummary } from '../types';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a model's latest evaluation lets a stage gate through: it passed and is no older
 * than `maxAgeDays` (thresholds.yaml `gate.maxAgeDays`, or a gate's requiresPassingEvalWithinDays).
 */
export function hasFreshPassingEval(
  latest: EvalSummary | undefined,
  maxAgeDays: number,
  now: Date,
  suite?: string,
): { ok: boolean; reason: string } {
  if (!latest) return { ok: false, reason: 'no evaluation run recorded' };
  if (suite && latest.suite !== suite) return { ok: false, reason: `latest evaluation is of suite ${latest.suite}, not ${suite}` };
  if (!latest.passed) return { ok: false, reason: `latest evaluation ${latest.runId} failed` };
  const ageDays = (now.getTime() - new Date(latest.at).getTime()) / DAY_MS;
  if (ageDays > maxAgeDays) {
    return { ok: false, reason: `latest passing evaluation ${latest.runId} is ${Math.floor(ageDays)} days old (limit ${maxAgeDays})` };
  }
  return { ok: true, reason: `evaluation ${latest.runId} passed ${Math.floor(ageDays)} days ago` };
}
