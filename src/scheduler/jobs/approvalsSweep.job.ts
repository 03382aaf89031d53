import { z } from 'zod';
import { sweepApprovals } from '../../domain/schedules/sweepApprovals';
import { defineJob } from '../job';

/** Nudges approvers before expiry and expires what is past it. */
export const approvalsSweepJob = defineJob({
  name: 'approvals.sweep',
  every: '30 minutes',
  payload: z.object({ nudgeBeforeHours: z.number().positive().max(24 * 14).optional() }).strict(),
  run: ({ ctx }, p) => sweepApprovals(ctx, p.nudgeBeforeHours ? { nudgeBeforeMs: p.nudgeBeforeHours * 3_600_000 } : {}),
});
