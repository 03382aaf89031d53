/**
 * What happens once a run is back from the endpoint: it is recorded against the suite's
 * thresholds (src/domain/evals/recordEvalRun): stored, the model's summary updated and the
 * model restricted on failure, in one change that also carries the announcement ('eval.passed'
 * to the starter, 'eval.failed' to the model owner, the Accountables of every use case using
 * the model, and the starter). The incident thresholds.openIncident asks for is opened by the
 * reaction to that change, once per run.
 */
import { recordEvalRun, type RecordEvalRunResult } from '../../domain/evals/recordEvalRun';
import type { EvalRun, EvalThresholds } from '../../domain/evals/types';
import type { DomainContext, EvalRunRepository } from '../../domain/ports';

export { MAX_FAILURES_IN_EVENT } from '../../domain/evals/evalAnnouncements';

export interface FinishEvalRunInput {
  run: EvalRun;
  thresholds: EvalThresholds;
  /** Person id of the starter, or 'system'. */
  actorId: string;
}

export type FinishEvalRunResult = RecordEvalRunResult;

export function finishEvalRun(ctx: DomainContext, evalRuns: EvalRunRepository, input: FinishEvalRunInput): Promise<FinishEvalRunResult> {
  return recordEvalRun(ctx, evalRuns, { ...input, openIncident: true });
}
