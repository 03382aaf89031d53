import { z } from 'zod';
import { sendWeeklyDigest } from '../../domain/schedules/weeklyDigest';
import { defineJob } from '../job';

/** The governance digest, Mondays at 09:00 (keyed by ISO week: one per week however often it runs). */
export const weeklyDigestJob = defineJob({
  name: 'digest.weekly',
  every: '0 9 * * 1',
  payload: z.object({}).strict(),
  run: ({ ctx }) => sendWeeklyDigest(ctx),
});
