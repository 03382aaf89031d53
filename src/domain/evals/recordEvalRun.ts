/**
 * Records a finished evaluation run against the suite's thresholds: stores the run with its
 * assessment, then makes ONE change to the registry model: the summary as its latestEval and,
 * when the run fails, the restriction, with the announcement for the people concerned. The
 * incident a failure may open is the reaction to that change (openEvalIncident.ts), so it is
 * opened once even if this process stops right after the write.
 */
import { NotFoundError } from '../errors';
import type { DomainEvent } from '../events';
import type { DomainContext, EvalRunRepository } from '../ports';
import { updateRecord } from '../records/updateRecord';
import { accountableIds } from '../schedules/recipients';
import type { EvalSummary, Incident, ModelStatus, RegisteredModel } from '../types';
import { assessRun } from './assessRun';
import { evalAnnouncement, evalIncidentRequest } from './evalAnnouncements';
import { findEvalIncident } from './openEvalIncident';
import type { EvalAssessment, EvalRun, EvalThresholds } from './types';

export interface RecordEvalRunInput {
  run: EvalRun;
  thresholds: EvalThresholds;
  /** Who ran it (person id, or 'system' for scheduled runs). */
  actorId: string;
  /**
   * Open the incident thresholds.openIncident asks for when the run fails (the evaluation
   * service does; a run recorded from the command line leaves that to people).
   */
  openIncident?: boolean;
}

export interface RecordEvalRunResult {
  run: EvalRun;
  assessment: EvalAssessment;
  statusChanged: boolean;
  status: ModelStatus;
  /** The incident the failure opened (absent when none was asked for or it is not open yet). */
  incident?: Incident;
  /** Who is told about the outcome. */
  recipientIds: string[];
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

export async function recordEvalRun(ctx: DomainContext, evalRuns: EvalRunRepository, input: RecordEvalRunInput): Promise<RecordEvalRunResult> {
  const { run, thresholds, actorId } = input;
  const model = await ctx.repos.models.get(run.modelName);
  if (!model) throw new NotFoundError('model.not_found', `No model named ${run.modelName} in the registry.`);

  // Read the baseline before storing, so a run is never compared with itself.
  const lastPassing = await evalRuns.latestPassing(model.name, run.suite);
  const assessment = assessRun(run.metrics, thresholds, lastPassing?.metrics ?? null);
  const stored = await evalRuns.create({ ...run, modelName: model.name, assessment });
  const summary = toEvalSummary(stored, assessment.passed);
  const incident = input.openIncident ? await evalIncidentRequest(ctx, { run: stored, assessment, thresholds, actorId, model }) : null;
  const useCaseAccountables = assessment.passed ? [] : (await ctx.repos.useCases.listByModel(model.name)).flatMap(accountableIds);

  let statusChanged = false;
  let recipientIds: string[] = [];
  // Decided on the version written on: an update or status change made meanwhile is kept, and
  // a restriction is written on top of it, never under it.
  const { record } = await updateRecord(
    ctx,
    ctx.repos.models,
    model.name,
    (current) => {
      const now = ctx.clock.now();
      const from = current.status;
      statusChanged = !assessment.passed && RESTRICTABLE.includes(from);
      const restrict = !assessment.passed && (statusChanged || from === 'restricted');
      const statusReason = `Evaluation ${run.runId} (${run.suite}) failed: ${assessment.reasons.join('; ')}`;
      // Runs recorded out of order (two suites at once): latestEval stays the newest run.
      const newer = current.latestEval && current.latestEval.at.getTime() > summary.at.getTime();
      const next: RegisteredModel = {
        ...current,
        ...(newer ? {} : { latestEval: summary }),
        ...(restrict ? { status: 'restricted' as const, statusReason } : {}),
        updatedAt: now,
      };
      const announcement = evalAnnouncement({ run: stored, assessment, summary, model: current, useCaseAccountables, actorId, at: now });
      recipientIds = announcement.recipientIds;
      const events: DomainEvent[] = [
        ...(statusChanged ? [{ type: 'model.status_changed' as const, at: now, actorId, modelName: current.name, status: 'restricted' as const }] : []),
        ...announcement.events,
      ];
      return {
        record: next,
        change: {
          at: now,
          actorId,
          action: 'eval.recorded',
          data: {
            runId: run.runId,
            suite: run.suite,
            passed: assessment.passed,
            reasons: assessment.reasons,
            passRate: run.metrics.passRate,
            baselineRunId: lastPassing?.runId ?? null,
            ...(statusChanged ? { from, to: 'restricted', reason: statusReason } : {}),
            ...(incident ? { incident } : {}),
          },
          events,
        },
      };
    },
    () => new NotFoundError('model.not_found', `No model named ${run.modelName} in the registry.`),
  );

  // The reaction ran inside updateRecord; a failure there is retried by the sweep, so the
  // incident may not be open yet when this answers.
  const opened = incident ? await findEvalIncident(ctx, model.name, run.runId, record.updatedAt) : null;
  return { run: stored, assessment, statusChanged, status: record.status, ...(opened ? { incident: opened } : {}), recipientIds };
}
