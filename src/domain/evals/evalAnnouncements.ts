/**
 * What a recorded evaluation run tells people and what incident it asks for: built before the
 * model's change is written and stored with it, so the announcement and the incident follow
 * from that one durable entry (src/domain/records/react.ts), whatever happens to this process.
 */
import type { DomainEvent, EvalCaseNote } from '../events';
import { redact } from '../incidents/redact';
import { ADMIN_ROLE, SYSTEM_ACTOR } from '../people/actor';
import type { DomainContext } from '../ports';
import { unique } from '../schedules/recipients';
import type { EvalSummary, RegisteredModel, Severity } from '../types';
import type { EvalAssessment, EvalRun, EvalThresholds } from './types';

/** Failed cases carried by the event (the card shows the first few, the report has all). */
export const MAX_FAILURES_IN_EVENT = 50;

/** The incident a failed run opens (thresholds.openIncident), kept in the model change's data. */
export interface EvalIncidentRequest {
  reporterId: string;
  modelName: string;
  runId: string;
  suite: string;
  category: string;
  severity: Severity;
  title: string;
  description: string;
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

/** The incident to open for a failed run, or null (passed, none asked for, or nobody registered to file it). */
export async function evalIncidentRequest(
  ctx: DomainContext,
  input: { run: EvalRun; assessment: EvalAssessment; thresholds: EvalThresholds; actorId: string; model: RegisteredModel },
): Promise<EvalIncidentRequest | null> {
  const ask = input.thresholds.openIncident;
  if (input.assessment.passed || !ask) return null;
  const reporterId = await reporterFor(ctx, input.actorId, input.model.ownerId);
  if (!reporterId) return null; // the failure is still recorded and announced
  return {
    reporterId,
    modelName: input.model.name,
    runId: input.run.runId,
    suite: input.run.suite,
    category: ask.category,
    severity: ask.severity,
    title: `Evaluation ${input.run.suite} failed for ${input.model.name}`,
    description: incidentDescription(input.run, input.assessment.reasons),
  };
}

/**
 * 'eval.passed' to the starter (when a person), or 'eval.failed' to the model owner, the
 * Accountables of every use case using the model and the starter.
 */
export function evalAnnouncement(input: {
  run: EvalRun;
  assessment: EvalAssessment;
  summary: EvalSummary;
  model: RegisteredModel;
  useCaseAccountables: string[];
  actorId: string;
  at: Date;
}): { events: DomainEvent[]; recipientIds: string[] } {
  const { run, assessment, summary, model, actorId, at } = input;
  const starter = actorId !== SYSTEM_ACTOR ? [actorId] : [];
  if (assessment.passed) {
    return {
      recipientIds: starter,
      events: starter.length ? [{ type: 'eval.passed', at, actorId, modelName: model.name, runId: run.runId, summary, recipientIds: starter }] : [],
    };
  }
  const recipientIds = unique([model.ownerId, ...input.useCaseAccountables, ...starter]);
  const failures = caseNotes(run);
  return {
    recipientIds,
    events: [
      {
        type: 'eval.failed',
        at,
        actorId,
        modelName: model.name,
        runId: run.runId,
        summary,
        reasons: assessment.reasons,
        failures: failures.slice(0, MAX_FAILURES_IN_EVENT),
        failedCount: failures.length,
        recipientIds,
      },
    ],
  };
}

