/**
 * The body of the 'eval-run' job: one queued request becomes at most one recorded run.
 *
 * - One run per endpoint at a time, across every worker: a lease on the endpoint's base URL,
 *   released in `finally` and expiring if its holder dies. A run that finds it taken queues
 *   itself again a little later. The per-endpoint limiter additionally bounds requests.
 * - Never dropped: a lease on the request's runKey (src/evals/service/evalLease.ts). A worker
 *   killed mid-run stops renewing it; once it runs out, eval-run.resume queues the request again
 *   and the next worker takes the lease over (up to MAX_EVAL_ATTEMPTS interruptions).
 * - Exactly once: Agenda's lock is not atomic on FerretDB, so two workers may pick the same job;
 *   only the lease holder runs, and only the holder of the runKey's commit claim records.
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
import { acquireLease, type LeaseHandle } from './evalLease';
import { evalLeasesFor } from './evalRuntime';

/** The lease that makes one run per endpoint at a time, across every worker. */
export const endpointClaimKey = (baseUrl: string): string => `endpoint:${endpointKey(baseUrl)}`;
/** The commit claim: taken once, right before the run is recorded. */
export const runClaimKey = (runKey: string): string => `eval-run:${runKey}`;
/** The lease of whoever runs the request now (src/evals/service/evalLease.ts). */
export const runLeaseKey = (runKey: string): string => `run:${runKey}`;

export type ExecuteEvalRunResult =
  | { outcome: 'recorded'; runKey: string; runId: string; passed: boolean; status: string; incidentKey?: string }
  | { outcome: 'duplicate'; runKey: string }
  | { outcome: 'running_elsewhere'; runKey: string }
  | { outcome: 'interrupted'; runKey: string }
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

  const leases = evalLeasesFor(ctx, rt);
  const leaseOpts = { ...(rt.leaseMs ? { ttlMs: rt.leaseMs } : {}) };
  const endpoint = await acquireLease(leases, endpointClaimKey(model.baseUrl), {}, { ...leaseOpts, reusable: true });
  if (endpoint.kind !== 'acquired') {
    await rt.queue.enqueue({ ...req, waitingSince: req.waitingSince ?? new Date().toISOString() }, { delayMs: rt.endpointBusyRetryMs });
    return { outcome: 'endpoint_busy', runKey: req.runKey, retryInMs: rt.endpointBusyRetryMs };
  }
  endpoint.lease.keepAlive();

  let runId: string | undefined;
  try {
    const acquired = await acquireLease(leases, runLeaseKey(req.runKey), { ...req }, leaseOpts);
    if (acquired.kind === 'finished') return { outcome: 'duplicate', runKey: req.runKey };
    // Its holder renews it; if that holder dies, the lease runs out and eval-run.resume queues it again.
    if (acquired.kind === 'held') return { outcome: 'running_elsewhere', runKey: req.runKey };
    if (acquired.kind === 'abandoned') return notStarted(`it was interrupted ${acquired.attempts} times (worker restarts or crashes); start it again`);
    const held: LeaseHandle = acquired.lease.keepAlive();
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
      // Renewing proves this worker still holds the run (no takeover while it stalled, no
      // shutdown release): only then may it record. A worker that lost it records nothing.
      if (!(await held.renew())) return { outcome: 'interrupted', runKey: req.runKey };
      if (m.cases > 0 && m.errored === m.cases) {
        // An outage is not a quality verdict: nothing is recorded and the model keeps its status.
        await held.end('failed');
        const first = run.cases.find((c) => c.error)?.error ?? 'no answer';
        return notStarted(`the endpoint answered none of the ${m.cases} cases (${first})`);
      }
      // The commit point: one recorder per runKey even if a takeover raced the renewal above.
      if (!(await ctx.repos.claims.claim(runClaimKey(req.runKey), { modelName: model.name, suite: suite.id }))) {
        await held.end('done');
        return { outcome: 'duplicate', runKey: req.runKey };
      }
      runId = run.runId;
      const result = await finishEvalRun(ctx, rt.evalRuns, { run, thresholds, actorId: req.actorId });
      await held.end('done');
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
      if (!stored && runId) await ctx.repos.claims.release(runClaimKey(req.runKey));
      // A failure that is the run's own (a domain refusal, a stored run whose aftermath failed)
      // ends it; anything else (the database went away mid-run) releases it, and eval-run.resume
      // queues it again (given up after MAX_EVAL_ATTEMPTS, telling its starter): never dropped.
      // If even the release cannot be written, the lease runs out and the same happens.
      await held.end(stored ? 'done' : isDomainError(err) ? 'failed' : 'released').catch(() => held.stopRenewing());
      if (isDomainError(err) && !stored) return notStarted(err.message);
      throw err;
    }
  } finally {
    await endpoint.lease.end('released').catch(() => false);
  }
}
