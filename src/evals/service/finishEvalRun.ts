/**
 * What happens once a run is back from the endpoint: it is recorded against the suite's
 * thresholds (stored, model summary updated, model restricted on failure), an incident is
 * opened where thresholds.openIncident says so, and the people concerned are told through an
 * event ('eval.passed' to the starter, 'eval.failed' to the model owner, the Accountables of
 * every use case using the model, and the starter).
 */
import type { EvalCaseNote } from '../../domain/events';
import { recordEvalRun, toEvalSummary, type EvalIncidentInput, type RecordEvalRunResult } from '../../domain/evals/recordEvalRun';
import type { EvalRun, EvalThresholds } from '../../domain/evals/types';
import { reportIncident } from '../../domain/incidents/reportIncident';
import { redact } from '../../domain/incidents/redact';
import { ADMIN_ROLE, SYSTEM_ACTOR } from '../../domain/people/actor';
import type { DomainContext, EvalRunRepository } from '../../domain/ports';
import { accountableIds, unique } from '../../domain/schedules/recipients';
import type { Incident } from '../../domain/types';

/** Failed cases carried by the event (the card shows the first few, the report has all). */
export const MAX_FAILURES_IN_EVENT = 50;

export interface FinishEvalRunInput {
  run: EvalRun;
  thresholds: EvalThresholds;
  /** Person id of the starter, or 'system'. */
  actorId: string;
}

export interface FinishEvalRunResult extends Omit<RecordEvalRunResult, 'incident'> {
  incident?: Incident;
  recipientIds: string[];
}

const caseNotes = (run: EvalRun): EvalCaseNote[] =>
  run.cases
    .filter((c) => !c.passed)
    .map((c) => ({ id: c.caseId, note: redact(c.failures.map((f) => f.reason).join('; ') || c.error || 'failed').text }));

function incidentDescription(run: EvalRun, reasons: string[]): string {
  const failed = run.cases.filter((c) => !c.passed);
  const lines = [
    `Evaluation run ${run.runId} of suite ${run.suite} against ${run.endpoint.modelName} failed its gate:`,
    ...reasons.map((r) => `- ${r}`),
    `Failed cases (${failed.length} of ${run.cases.length}): ${failed
      .slice(0, 20)
      .map((c) => `${c.caseId} (${unique(c.failures.map((f) => f.kind)).join(', ') || 'error'})`)
      .join(', ')}${failed.length > 20 ? ', …' : ''}`,
  ];
  return lines.join('\n');
}

/** Who files the incident: the starter when a person, else the model owner, else a CoE admin. */
async function reporterFor(ctx: DomainContext, actorId: string, ownerId: string): Promise<string | null> {
  for (const id of [actorId, ownerId]) {
    if (id && id !== SYSTEM_ACTOR && (await ctx.repos.people.findById(id))) return id;
  }
  return (await ctx.repos.people.findByRole(ADMIN_ROLE))[0]?.id ?? null;
}

export async function finishEvalRun(
  ctx: DomainContext,
  evalRuns: EvalRunRepository,
  input: FinishEvalRunInput,
): Promise<FinishEvalRunResult> {
  const { run, thresholds, actorId } = input;
  const openIncident = async (i: EvalIncidentInput): Promise<Incident | undefined> => {
    const model = await ctx.repos.models.get(i.modelName);
    const reporterId = await reporterFor(ctx, actorId, model?.ownerId ?? '');
    if (!reporterId) return undefined; // nobody registered to file it; the failure is still audited and notified
    return reportIncident(ctx, {
      reporterId,
      modelName: i.modelName,
      category: i.category,
      severity: i.severity,
      title: i.title,
      description: incidentDescription(run, i.description.split('\n')),
    });
  };

  const result = await recordEvalRun(ctx, evalRuns, { run, thresholds, actorId, openIncident });
  const incident = result.incident as Incident | undefined;
  const model = (await ctx.repos.models.get(result.run.modelName))!;
  const summary = toEvalSummary(result.run, result.assessment.passed);
  const starter = actorId !== SYSTEM_ACTOR ? [actorId] : [];
  const now = ctx.clock.now();

  let recipientIds: string[];
  if (result.assessment.passed) {
    recipientIds = starter;
    if (recipientIds.length) {
      await ctx.events.emit({ type: 'eval.passed', at: now, actorId, modelName: model.name, runId: run.runId, summary, recipientIds });
    }
  } else {
    const useCases = await ctx.repos.useCases.listByModel(model.name);
    recipientIds = unique([model.ownerId, ...useCases.flatMap(accountableIds), ...starter]);
    const failures = caseNotes(result.run);
    await ctx.events.emit({
      type: 'eval.failed',
      at: now,
      actorId,
      modelName: model.name,
      runId: run.runId,
      summary,
      reasons: result.assessment.reasons,
      failures: failures.slice(0, MAX_FAILURES_IN_EVENT),
      failedCount: failures.length,
      recipientIds,
      ...(incident ? { incidentKey: incident.key } : {}),
    });
  }
  const { incident: _ignored, ...recorded } = result;
  return { ...recorded, ...(incident ? { incident } : {}), recipientIds };
}
