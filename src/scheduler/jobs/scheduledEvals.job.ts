import { z } from 'zod';
import { evalRuntimeFor } from '../../evals/service/evalRuntime';
import { scheduleEvals } from '../../evals/service/scheduleEvals';
import { defineJob } from '../job';

/** Queues the evaluations due under thresholds.yaml `evalSchedule` (once per model, suite and period). */
export const scheduledEvalsJob = defineJob({
  name: 'scheduled-evals',
  every: '1 hour',
  payload: z.object({}).strict(),
  run: ({ ctx }) => scheduleEvals(ctx, evalRuntimeFor(ctx)),
});
