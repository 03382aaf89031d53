import { z } from 'zod';
import { sweepObligationReminders } from '../../domain/schedules/sweepObligationReminders';
import { defineJob } from '../job';

/** 90 and 30 days before an EU AI Act obligation applies to a use case: daily is enough (keys are per threshold). */
export const obligationRemindersJob = defineJob({
  name: 'obligations.remind',
  every: '6 hours',
  payload: z.object({}).strict(),
  run: ({ ctx }) => sweepObligationReminders(ctx),
});
