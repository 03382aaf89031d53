import { z } from 'zod';
import { sweepReactions } from '../../domain/records/sweepReactions';
import { defineJob } from '../job';

/** Entries younger than this are still their writer's to finish (it runs their reactions right after writing). */
export const REACTIONS_GRACE_MS = 10_000;

/**
 * Finishes the consequences of stored changes whose writer did not (the process died between
 * its write and its reactions, a subscriber failed, the database went away mid-way).
 */
export const reactionsSweepJob = defineJob({
  name: 'records.react',
  every: '15 seconds',
  payload: z.object({}).strict(),
  run: ({ ctx, log }) =>
    sweepReactions(ctx, {
      graceMs: REACTIONS_GRACE_MS,
      onError: (err, entry) => log?.error({ err, stream: entry.stream, version: entry.version }, 'a reaction failed; the next sweep retries it'),
    }),
});
