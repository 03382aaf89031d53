import { z } from 'zod';
import { defineJob } from '../job';

/** Sends what the outbox holds (claims per attempt make parallel workers safe). */
export const dispatchDeliveriesJob = defineJob({
  name: 'deliveries.dispatch',
  every: '10 seconds',
  payload: z.object({}).strict(),
  run: ({ dispatcher }) => dispatcher.dispatchDue(),
});
