/**
 * The scheduled sweep: for every suite with `evalSchedule.everyDays` in thresholds.yaml, every
 * approved or restricted model whose endpoint is configured (a URL, and its key where it needs one) whose latest run of that suite is older than the
 * schedule gets a run queued. The runKey names the model, the suite and the schedule period, and
 * queueing claims it, so two workers (or two sweeps) queue one run per period between them.
 */
import type { DomainContext } from '../../domain/ports';
import { SYSTEM_ACTOR } from '../../domain/people/actor';
import type { EvalRun } from '../../domain/evals/types';
import type { ModelStatus } from '../../domain/types';
import type { EvalRuntime } from './evalRuntime';
import { endpointProblem } from '../endpoint';
import { queueEvalRun } from './startEvalRun';

const DAY_MS = 86_400_000;
/** Restricted models are evaluated too: a passing run is how they earn their way back. */
export const SCHEDULED_STATUSES: readonly ModelStatus[] = ['approved', 'restricted'];

/** Periods are counted from the epoch, so every worker computes the same one. */
export function schedulePeriod(now: Date, everyDays: number): { index: number; start: Date } {
  const ms = everyDays * DAY_MS;
  const index = Math.floor(now.getTime() / ms);
  return { index, start: new Date(index * ms) };
}

export const scheduledRunKey = (modelName: string, suite: string, periodStart: Date): string =>
  `scheduled:${modelName}:${suite}:${periodStart.toISOString().slice(0, 10)}`;

export interface ScheduleEvalsResult {
  queued: string[];
  /** Due but already queued this period (by another worker or an earlier sweep). */
  alreadyQueued: number;
  upToDate: number;
}

export async function scheduleEvals(ctx: DomainContext, rt: EvalRuntime, env: NodeJS.ProcessEnv = process.env): Promise<ScheduleEvalsResult> {
  const now = ctx.clock.now();
  const suites = rt.suites();
  const scheduled = Object.entries(rt.thresholds()).filter(([id, t]) => t.evalSchedule && suites.has(id));
  const result: ScheduleEvalsResult = { queued: [], alreadyQueued: 0, upToDate: 0 };
  if (!scheduled.length) return result;

  // An endpoint this process cannot call (no URL, its key not set) is skipped, not failed against.
  const models = (await ctx.repos.models.list()).filter((m) => SCHEDULED_STATUSES.includes(m.status) && !endpointProblem(m, env));
  for (const model of models) {
    const runs: EvalRun[] = await rt.evalRuns.list(model.name);
    for (const [suite, t] of scheduled) {
      const everyDays = t.evalSchedule!.everyDays;
      const latest = runs.find((r) => r.suite === suite); // newest first
      if (latest && now.getTime() - latest.finishedAt.getTime() < everyDays * DAY_MS) {
        result.upToDate++;
        continue;
      }
      const runKey = scheduledRunKey(model.name, suite, schedulePeriod(now, everyDays).start);
      if (await queueEvalRun(ctx, rt, { modelName: model.name, suite, actorId: SYSTEM_ACTOR, runKey })) result.queued.push(runKey);
      else result.alreadyQueued++;
    }
  }
  return result;
}
