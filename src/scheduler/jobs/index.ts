import type { JobDef } from '../job';
import { approvalsSweepJob } from './approvalsSweep.job';
import { auditCheckpointJob } from './auditCheckpoint.job';
import { art73SweepJob } from './art73Sweep.job';
import { evalResumeJob } from './evalResume.job';
import { evalRunJob } from './evalRun.job';
import { obligationRemindersJob } from './obligationReminders.job';
import { pruneClaimsJob } from './pruneClaims.job';
import { reactionsSweepJob } from './reactionsSweep.job';
import { retentionSweepJob } from './retentionSweep.job';
import { reviewsSweepJob } from './reviewsSweep.job';
import { scheduledEvalsJob } from './scheduledEvals.job';
import { stalledSweepJob } from './stalledSweep.job';
import { weeklyDigestJob } from './weeklyDigest.job';

export const ALL_JOBS: readonly JobDef[] = [
  reviewsSweepJob,
  art73SweepJob,
  approvalsSweepJob,
  stalledSweepJob,
  weeklyDigestJob,
  evalRunJob,
  evalResumeJob,
  scheduledEvalsJob,
  pruneClaimsJob,
  reactionsSweepJob,
  auditCheckpointJob,
  retentionSweepJob,
  obligationRemindersJob,
];

export { approvalsSweepJob, art73SweepJob, reviewsSweepJob, stalledSweepJob, weeklyDigestJob, evalRunJob, evalResumeJob, scheduledEvalsJob, pruneClaimsJob, reactionsSweepJob, auditCheckpointJob, retentionSweepJob, obligationRemindersJob };
