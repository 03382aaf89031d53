import { z } from 'zod';
import { sweepStalled } from '../../domain/schedules/sweepStalled';
import { defineJob } from '../job';

/** Stalled use cases, once a day at 08:00. */
export const stalledSweepJob = defineJob({
  name: 'usecases.stalled',
  every: '0 8 * * *',
  payload: z.object({}).strict(),
  run: ({ ctx }) => sweepStalled(ctx),
});
