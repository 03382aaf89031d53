import type { Connection } from 'mongoose';
import { z } from 'zod';
import { DEFAULT_RETENTION } from '../../domain/retention/policy';
import { sweepRetention } from '../../store/retentionSweep';
import { defineJob } from '../job';

/**
 * Deletes operational data past its retention (RETENTION_DAYS; src/store/retentionSweep.ts):
 * sent and dead outbox messages, finished one-off evaluation jobs, old evaluation runs that
 * nothing needs, finished run leases, message references and chat retry claims. Never the
 * audit trail. Daily at 03:30 UTC, after `claims.prune`.
 */
export const retentionSweepJob = defineJob({
  name: 'retention.sweep',
  every: '30 3 * * *',
  payload: z.object({}).strict(),
  run: ({ ctx, retention }) => {
    const conn = (ctx as typeof ctx & { conn?: Connection }).conn;
    if (!conn) throw new Error('the retention sweep needs the context of the app (with its database connection)');
    return sweepRetention(conn, retention ?? DEFAULT_RETENTION, ctx.clock.now());
  },
});
