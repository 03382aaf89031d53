import { z } from 'zod';
import { pruneRetryClaims } from '../../domain/schedules/pruneRetryClaims';
import { defineJob } from '../job';

/** Chat retry claims older than a week, deleted daily at 03:00 (no TTL indexes on FerretDB). */
export const pruneClaimsJob = defineJob({
  name: 'claims.prune',
  every: '0 3 * * *',
  payload: z.object({ olderThanDays: z.number().int().min(1).max(365).optional() }).strict(),
  run: ({ ctx }, payload) => pruneRetryClaims(ctx, payload),
});
