import { z } from 'zod';
import { evalRunRequestSchema, EVAL_RUN_JOB } from '../../evals/service/evalQueue';
import { evalRuntimeFor } from '../../evals/service/evalRuntime';
import { executeEvalRun } from '../../evals/service/executeEvalRun';
import { metrics } from '../../observability/metrics';
import { defineJob } from '../job';

/**
 * Runs one queued evaluation (src/evals/service/executeEvalRun). Requests are one-off jobs
 * queued by `eval run` in chat or by the 'scheduled-evals' sweep (src/evals/service/evalQueue).
 * The worker also schedules every job on an interval: that occurrence carries no request
 * (`{}`) and does nothing, so the interval is long.
 */
export const evalRunJob = defineJob({
  name: EVAL_RUN_JOB,
  every: '1 day',
  payload: z.union([evalRunRequestSchema, z.object({}).strict()]),
  run: async ({ ctx }, p) => {
    const request = evalRunRequestSchema.safeParse(p);
    if (!request.success) return { outcome: 'idle' };
    try {
      const result = await executeEvalRun(ctx, evalRuntimeFor(ctx), request.data);
      metrics.evalRuns.inc({ outcome: result.outcome });
      return result;
    } catch (e) {
      metrics.evalRuns.inc({ outcome: 'failed' });
      throw e;
    }
  },
});
