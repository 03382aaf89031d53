import { z } from 'zod';
import { checkpointAudit } from '../../domain/audit/checkpointAudit';
import { defineJob } from '../job';

/**
 * Signs the heads of every audit stream, so that deleting entries (even the newest, or all of
 * them) is detected by `audit verify`. Fails loudly, signing nothing, when the trail lost
 * something the previous checkpoint signed.
 */
export const auditCheckpointJob = defineJob({
  name: 'audit.checkpoint',
  every: '5 minutes',
  payload: z.object({}).strict(),
  run: async ({ ctx }) => {
    const cp = await checkpointAudit({ repo: ctx.repos.audit, clock: ctx.clock });
    return cp ? { seq: cp.seq, entries: cp.entries, streams: cp.heads.length } : { unchanged: true };
  },
});
