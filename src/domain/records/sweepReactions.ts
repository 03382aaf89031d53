/**
 * Finishes consequences a writer did not: the process died between its write and its
 * reactions, a subscriber failed, or the database went away mid-way. Runs on the scheduler
 * (and once when a worker starts); entries younger than `graceMs` are left to their writer.
 */
import type { DomainContext } from '../ports';
import { react } from './react';

export interface SweepReactionsOptions {
  /** Leave entries this young to the process that wrote them. */
  graceMs?: number;
  /** Entries per sweep at most. */
  limit?: number;
  /** Called with each failure (the entry stays pending for the next sweep). */
  onError?: (err: unknown, entry: { stream: string; version: number }) => void;
}

export interface SweepReactionsResult {
  /** Entries whose consequences this sweep completed. */
  completed: number;
  failed: number;
}

export async function sweepReactions(ctx: DomainContext, opts: SweepReactionsOptions = {}): Promise<SweepReactionsResult> {
  const before = new Date(ctx.clock.now().getTime() - (opts.graceMs ?? 10_000));
  const pending = await ctx.repos.audit.pendingReactions(before, opts.limit ?? 500);
  let completed = 0;
  let failed = 0;
  for (const entry of pending) {
    const outcome = await react(ctx, entry).catch((e: unknown) => ({ ok: false, errors: [e] }));
    if (outcome.ok) completed++;
    else {
      failed++;
      for (const e of outcome.errors) opts.onError?.(e, entry);
    }
  }
  return { completed, failed };
}
