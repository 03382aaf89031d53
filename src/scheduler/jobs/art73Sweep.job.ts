import { z } from 'zod';
import { sweepSeriousIncidents } from '../../domain/schedules/sweepSeriousIncidents';
import { defineJob } from '../job';

/** The Art. 73 clock: often, because the shortest deadline is two days. */
export const art73SweepJob = defineJob({
  name: 'art73.sweep',
  every: '15 minutes',
  payload: z.object({}).strict(),
  run: ({ ctx }) => sweepSeriousIncidents(ctx),
});
