/**
 * The other half of run leases: a run whose holder died (its lease ran out) or shut down (it
 * released the lease) is queued again, so a worker takes it over. Each expired or released
 * generation is queued once (a claim on `<runKey>#<generation>`), however many workers sweep;
 * a run interrupted again gets a new generation and is queued again.
 */
import type { DomainContext } from '../../domain/ports';
import { runLeaseKey } from './executeEvalRun';
import { evalRunRequestSchema } from './evalQueue';
import type { EvalRuntime } from './evalRuntime';
import { evalLeasesFor } from './evalRuntime';

export const resumeClaimKey = (leaseKey: string, generation: number): string => `eval-resume:${leaseKey}#${generation}`;

export interface ResumeResult {
  resumed: string[];
}

export async function resumeEvalRuns(ctx: DomainContext, rt: EvalRuntime, now: Date = new Date()): Promise<ResumeResult> {
  const leases = evalLeasesFor(ctx, rt);
  const resumed: string[] = [];
  for (const key of await leases.expiredRunKeys(now)) {
    if (!key.startsWith(runLeaseKey(''))) continue; // endpoints are not resumed: they are just free
    const head = await leases.head(key);
    if (!head || !(head.state === 'released' || (head.state === 'running' && head.leaseUntil.getTime() < now.getTime()))) continue;
    const request = evalRunRequestSchema.safeParse(head.request);
    if (!request.success) continue;
    if (!(await ctx.repos.claims.claim(resumeClaimKey(key, head.generation), { runKey: request.data.runKey }))) continue;
    const { waitingSince: _w, ...fresh } = request.data;
    try {
      await rt.queue.enqueue(fresh);
    } catch (err) {
      await ctx.repos.claims.release(resumeClaimKey(key, head.generation));
      throw err;
    }
    resumed.push(request.data.runKey);
  }
  return { resumed };
}
