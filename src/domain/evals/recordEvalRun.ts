/**
 * Records a finished evaluation run against the suite's thresholds: stores it with its
 * assessment, puts the summary on the registry model, and restricts the model when the run
 * fails. Notifications and incidents are someone else's: the `openIncident` hook is where
 * the incident side plugs in.
 */
import { NotFoundError } from '../errors';
import type { DomainContext, EvalRunRepository } from '../ports';
import type { EvalSummary, ModelStatus, Severity } from '../types';
import { assessRun } from './assessRun';
import type { EvalAssessment, EvalRun, EvalThresholds } from './types';

/** What the incident side receives when thresholds say a failed run opens an incident. */
export interface EvalIncidentInput {
  modelName: string;
  runId: string;
  suite: string;
  category: string;
  severity: Severity;
  title: string;
  description: string;
  actorId: string;
}

export interface RecordEvalRunInput {
  run: EvalRun;
  thresholds: EvalThresholds;
  /** Who ran it (person id, or 'system' for scheduled runs). */
  actorId: string;
  /**
   * TODO(incidents): wire to the incident domain operation (reportIncident) once it exists.
   * Called only when the run fails and thresholds.openIncident is set.
   */
  openIncident?: (input: EvalIncidentInput) => Promise<unknown>;
}

export interface RecordEvalRunResult {
  run: EvalRun;
  assessment: EvalAssessment;
  statusChanged: boolean;
  status: ModelStatus;
  incident?: unknown;
}

/** Statuses a failed run moves to 'restricted'; banned and deprecated models stay as they are. */
const RESTRICTABLE: ModelStatus[] = ['proposed', 'approved'];

export function toEvalSummary(run: EvalRun, passed: boolean): EvalSummary {
  const m = run.metrics;
  return {
    runId: run.runId,
    suite: run.suite,
    at: run.finishedAt,
    passed,
    passRate: m.passRate,
    ...(m.hallucinationRate !== undefined ? { hallucinationRate: m.hallucinationRate } : {}),
    ...(m.injectionResistance !== undefined ? { injectionResistance: m.injectionResistance } : {}),
    latencyP50Ms: m.latencyP50Ms,
    latencyP95Ms: m.latencyP95Ms,
    tokensIn: m.tokensIn,
    tokensOut: m.tokensOut,
    cost: m.cost,
  };
}

export async function recordEvalRun(
  ctx: DomainContext,
  evalRuns: EvalRunRepository,
  input: RecordEvalRunInput,
): Promise<RecordEvalRunResult> {
  const { run, thresholds, actorId } = input;
  const model = await ctx.repos.models.get(run.modelName);
  if (!model) throw new NotFoundError('model.not_found', `No model named ${run.modelName} in the registry.`);

  // Read the baseline before storing, so a run is never compared with itself.
  const lastPassing = await evalRuns.latestPassing(model.name, run.suite);
  const assessment = assessRun(run.metrics, thresholds, lastPassing?.metrics ?? null);
  const stored = await evalRuns.create({ ...run, modelName: model.name, assessment });

  const now = ctx.clock.now();
  const from = model.status;
  const statusChanged = !assessment.passed && RESTRICTABLE.includes(from);
  model.latestEval = toEvalSummary(stored, assessment.passed);
  if (!assessment.passed && (statusChanged || from === 'restricted')) {
    model.status = 'restricted';
    model.statusReason = `Evaluation ${run.runId} (${run.suite}) failed: ${assessment.reasons.join('; ')}`;
  }
  model.updatedAt = now;
  await ctx.repos.models.save(model);

  await ctx.audit({
    actorId,
    action: 'eval.recorded',
    subject: model.name,
    data: {
      runId: run.runId,
      suite: run.suite,
      passed: assessment.passed,
      reasons: assessment.reasons,
      passRate: run.metrics.passRate,
      baselineRunId: lastPassing?.runId ?? null,
    },
  });

  if (statusChanged) {
    await ctx.audit({
      actorId,
      action: 'model.status_changed',
      subject: model.name,
      data: { from, to: 'restricted', reason: model.statusReason, runId: run.runId },
    });
    await ctx.events.emit({ type: 'model.status_changed', at: now, actorId, modelName: model.name, status: 'restricted' });
  }

  let incident: unknown;
  if (!assessment.passed && thresholds.openIncident && input.openIncident) {
    incident = await input.openIncident({
      modelName: model.name,
      runId: run.runId,
      suite: run.suite,
      category: thresholds.openIncident.category,
      severity: thresholds.openIncident.severity,
      title: `Evaluation ${run.suite} failed for ${model.name}`,
      description: assessment.reasons.join('\n'),
      actorId,
    });
  }

  return { run: stored, assessment, statusChanged, status: model.status, ...(incident !== undefined ? { incident } : {}) };
}
