import { z } from 'zod';
import { sweepReviews } from '../../domain/schedules/sweepReviews';
import { defineJob } from '../job';

/** Review cadences: schedule, remind, escalate (hourly; reminders are keyed per day). */
export const reviewsSweepJob = defineJob({
  name: 'reviews.sweep',
  every: '1 hour',
  payload: z.object({}).strict(),
  run: ({ ctx }) => sweepReviews(ctx),
});
