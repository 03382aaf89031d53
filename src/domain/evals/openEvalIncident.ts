/**
 * The reaction to a failed evaluation recorded on a model ('eval.failed' in the model's
 * change): opens the incident the suite's thresholds ask for, once per run. The incident's
 * first version carries the cause `eval:<runId>`, which is what later runs of this reaction
 * (the writer, another process, the reaction sweep) look for before opening one.
 */
import { reportIncident } from '../incidents/reportIncident';
import type { DomainContext, HistoryEntry, IncidentRepository } from '../ports';
import type { EventOf } from '../events';
import type { Incident } from '../types';
import type { EvalIncidentRequest } from './evalAnnouncements';

export const evalCause = (runId: string): string => `eval:${runId}`;
const claimKey = (runId: string): string => `eval.incident:${runId}`;

/** A claim older than this whose incident never appeared was left by a process that died. */
const ABANDONED_AFTER_MS = 10 * 60_000;

/** The incident opened for the run, if any: a model's incidents since the run, checked by cause. */
export async function findEvalIncident(ctx: DomainContext, modelName: string, runId: string, since: Date): Promise<Incident | null> {
  const candidates = (await ctx.repos.incidents.list())
    .filter((i) => i.modelName === modelName && i.createdAt.getTime() >= since.getTime())
    .sort((a, b) => b.seq - a.seq);
  for (const incident of candidates) {
    const [first] = await ctx.repos.audit.history(`incident:${incident.key}`);
    if (first?.cause === evalCause(runId)) return incident;
  }
  return null;
}

/** reportIncident, with the incident's first version marked as caused by the run. */
function reportCausedBy(ctx: DomainContext, request: EvalIncidentRequest): Promise<Incident> {
  const cause = evalCause(request.runId);
  const incidents: IncidentRepository = Object.create(ctx.repos.incidents);
  incidents.create = (data, changeFor) => ctx.repos.incidents.create(data, (key) => ({ ...changeFor(key), cause }));
  return reportIncident(
    { ...ctx, repos: { ...ctx.repos, incidents } },
    {
      reporterId: request.reporterId,
      modelName: request.modelName,
      category: request.category,
      severity: request.severity,
      title: request.title,
      description: request.description,
    },
  );
}

async function openOnce(ctx: DomainContext, request: EvalIncidentRequest, recordedAt: Date): Promise<Incident> {
  const find = () => findEvalIncident(ctx, request.modelName, request.runId, recordedAt);
  const found = await find();
  if (found) return found;
  const key = claimKey(request.runId);
  if (!(await ctx.repos.claims.claim(key, { runId: request.runId }))) {
    // Another process is opening it, opened it a moment ago, or died between its claim and the incident.
    const theirs = await find();
    if (theirs) return theirs;
    if (ctx.clock.now().getTime() - recordedAt.getTime() < ABANDONED_AFTER_MS) {
      throw new Error(`the incident for evaluation ${request.runId} is being opened by another process; the reaction sweep will check again`);
    }
    await ctx.repos.claims.release(key);
    if (!(await ctx.repos.claims.claim(key, { runId: request.runId, takenOver: true }))) {
      throw new Error(`the incident for evaluation ${request.runId} is being opened by another process; the reaction sweep will check again`);
    }
  }
  try {
    return (await find()) ?? (await reportCausedBy(ctx, request));
  } catch (e) {
    // Not opened (or not known to be): free the claim so the next attempt can; a stored one is found by its cause.
    await ctx.repos.claims.release(key).catch(() => undefined);
    throw e;
  }
}

export async function openEvalIncident(ctx: DomainContext, event: EventOf<'eval.failed'>, entry: HistoryEntry): Promise<void> {
  const request = entry.data?.incident as EvalIncidentRequest | undefined;
  if (!request || !entry.stream.startsWith('model:')) return;
  const incident = await openOnce(ctx, request, entry.at);
  // react() announces this same event right after its reactions: the message names the incident.
  event.incidentKey = incident.key;
}
