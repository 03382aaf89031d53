/**
 * The body of the 'eval-run' job: one queued request becomes at most one recorded run.
 *
 * - One run per endpoint at a time, across every worker: a claim on the endpoint's base URL,
 *   released in `finally`. A run that finds it taken queues itself again a little later. The
 *   in-process per-endpoint limiter additionally bounds concurrent requests.
 * - Exactly once: a claim on the request's runKey. Agenda's lock is not atomic on FerretDB, so
 *   two workers may pick the same job, and a busy endpoint re-queues copies: only the holder of
 *   the runKey claim runs and records.
 */
import { isDomainError } from '../../domain/errors';
import type { DomainContext, OutboundMessage } from '../../domain/ports';
import { SYSTEM_ACTOR } from '../../domain/people/actor';
import type { ScheduleContext } from '../../domain/schedules/context';
import { endpointFromModel } from '../endpoint';
import { endpointKey } from '../limiter';
import { runSuite } from '../runner';
import type { EvalRunRequest } from './evalQueue';
import type { EvalRuntime } from './evalRuntime';
import { finishEvalRun } from './finishEvalRun';
import { evalNotStartedCard } from './evalCards';

export const endpointClaimKey = (baseUrl: string): string => `eval-endpoint:${endpointKey(baseUrl)}`;
export const runClaimKey = (runKey: string): string => `eval-run:${runKey}`;

export type ExecuteEvalRunResult =
  | { outcome: 'recorded'; runKey: string; runId: string; passed: boolean; status: string; incidentKey?: string }
  | { outcome: 'duplicate'; runKey: string }
  | { outcome: 'endpoint_busy'; runKey: string; retryInMs: number }
  | { outcome: 'not_started'; runKey: string; reason: string };

/** Tells the starter why the run did not happen (scheduled runs tell nobody: the sweep retries next period). */
async function notifyNotStarted(ctx: DomainContext, req: EvalRunRequest, reason: string): Promise<void> {
  const deliveries = (ctx as Partial<ScheduleContext>).deliveries;
  if (!deliveries || req.actorId === SYSTEM_ACTOR) return;
  const card = evalNotStartedCard({ modelName: req.modelName, suite: req.suite, reason });
  const message: OutboundMessage = { key: `eval.not_started:${req.runKey}:${req.actorId}`, to: { personId: req.actorId }, card, text: `${card.title}: ${reason}` };
  await deliveries.enqueue(message, ctx.clock.now());
}

export async function executeEvalRun(ctx: DomainContext, rt: EvalRuntime, req: EvalRunRequest): Promise<ExecuteEvalRunResult> {
  const notStarted = async (reason: string): Promise<ExecuteEvalRunResult> => {
    await notifyNotStarted(ctx, req, reason);
    return { outcome: 'not_started', runKey: req.runKey, reason };
  };
  const model = await ctx.repos.models.get(req.modelName);
  if (!model) return notStarted(`no model named ${req.modelName} in the registry`);
  if (!model.baseUrl) return notStarted(`model ${model.name} has no baseUrl in the registry`);
  const suite = rt.suites().get(req.suite);
  const thresholds = rt.thresholds()[req.suite];
  if (!suite || !thresholds) return notStarted(`no suite ${req.suite} with thresholds in playbooks/evals`);

  const endpointClaim = endpointClaimKey(model.baseUrl);
  const claimData = { runKey: req.runKey, at: new Date().toISOString() };
  let holding = await ctx.repos.claims.claim(endpointClaim, claimData);
  const waitedMs = req.waitingSince ? Date.now() - Date.parse(req.waitingSince) : 0;
  if (!holding && waitedMs > rt.staleEndpointAfterMs) {
    // Claims never expire: a worker that died mid-run leaves its claim behind. Past the longest
    // plausible run, the waiting run takes the endpoint over rather than wait for ever.
    await ctx.repos.claims.release(endpointClaim);
    holding = await ctx.repos.claims.claim(endpointClaim, { ...claimData, takenOver: true });
  }
  if (!holding) {
    await rt.queue.enqueue({ ...req, waitingSince: req.waitingSince ?? new Date().toISOString() }, { delayMs: rt.endpointBusyRetryMs });
    return { outcome: 'endpoint_busy', runKey: req.runKey, retryInMs: rt.endpointBusyRetryMs };
  }

  let runId: string | undefined;
  try {
    if (!(await ctx.repos.claims.claim(runClaimKey(req.runKey), { modelName: model.name, suite: suite.id }))) {
      return { outcome: 'duplicate', runKey: req.runKey };
    }
    try {
      const run = await runSuite({
        suite,
        endpoint: endpointFromModel(model),
        resolveJudge: async (name) => {
          const judge = await ctx.repos.models.get(name);
          return judge?.baseUrl ? endpointFromModel(judge) : null;
        },
        limiters: rt.limiters,
        env: rt.env,
        now: () => ctx.clock.now(),
        ...(rt.concurrency ? { concurrency: rt.concurrency } : {}),
        ...(rt.timeoutMs ? { timeoutMs: rt.timeoutMs } : {}),
        ...(rt.retry ? { retry: rt.retry } : {}),
      });
      const m = run.metrics;
      if (m.cases > 0 && m.errored === m.cases) {
        // An outage is not a quality verdict: nothing is recorded and the model keeps its status.
        await ctx.repos.claims.release(runClaimKey(req.runKey));
        const first = run.cases.find((c) => c.error)?.error ?? 'no answer';
        return notStarted(`the endpoint answered none of the ${m.cases} cases (${first})`);
      }
      runId = run.runId;
      const result = await finishEvalRun(ctx, rt.evalRuns, { run, thresholds, actorId: req.actorId });
      return {
        outcome: 'recorded',
        runKey: req.runKey,
        runId: run.runId,
        passed: result.assessment.passed,
        status: result.status,
        ...(result.incident ? { incidentKey: result.incident.key } : {}),
      };
    } catch (err) {
      // Not recorded: free the runKey so the same request may be queued again. Once stored, the
      // claim stays whatever failed afterwards (never two runs for one key).
      const stored = runId ? await rt.evalRuns.get(runId).catch(() => null) : null;
      if (!stored) await ctx.repos.claims.release(runClaimKey(req.runKey));
      if (isDomainError(err) && !stored) return notStarted(err.message);
      throw err;
    }
  } finally {
    await ctx.repos.claims.release(endpointClaim);
  }
}
