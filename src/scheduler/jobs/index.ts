import type { JobDef } from '../job';
import { approvalsSweepJob } from './approvalsSweep.job';
import { art73SweepJob } from './art73Sweep.job';
import { dispatchDeliveriesJob } from './dispatchDeliveries.job';
import { reviewsSweepJob } from './reviewsSweep.job';
import { stalledSweepJob } from './stalledSweep.job';
import { weeklyDigestJob } from './weeklyDigest.job';

export const ALL_JOBS: readonly JobDef[] = [
  reviewsSweepJob,
  art73SweepJob,
  approvalsSweepJob,
  stalledSweepJob,
  weeklyDigestJob,
  dispatchDeliveriesJob,
];

export { approvalsSweepJob, art73SweepJob, dispatchDeliveriesJob, reviewsSweepJob, stalledSweepJob, weeklyDigestJob };
