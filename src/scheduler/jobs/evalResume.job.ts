import { z } from 'zod';
import { evalRuntimeFor } from '../../evals/service/evalRuntime';
import { resumeEvalRuns } from '../../evals/service/resumeEvalRuns';
import { defineJob } from '../job';

/**
 * Queues again the evaluation runs whose worker died or shut down mid-run (their lease ran out
 * or was released; src/evals/service/evalLease.ts), so no run is silently dropped.
 */
export const evalResumeJob = defineJob({
  name: 'eval-run.resume',
  every: '1 minute',
  payload: z.object({}).strict(),
  run: ({ ctx }) => resumeEvalRuns(ctx, evalRuntimeFor(ctx)),
});
