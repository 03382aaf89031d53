/**
 * One run per period of a recurring job. Agenda locks a job with a conditional update, which
 * FerretDB does not make atomic: one worker's poller could lock the same occurrence twice and run
 * it twice in a row (bench:scheduler: a second 10,000-use-case review sweep, 10-15 s of writes that
 * queued nothing, in 4 of 7 runs). Safe either way (every message has a unique key), but wasted.
 * So a recurring run first claims its period, `job-run:<name>@<start of the period>` (a unique
 * insert: one winner), and a second run in the same period does nothing. Periods are the job's
 * interval up to 10 minutes (cron schedules: 10 minutes), so a run that crashed is run again by
 * Agenda after its lock expires (10 minutes), in a later period. A run that fails gives its claim
 * back. Jobs more frequent than every 5 minutes are not guarded (cheap, and their claims would
 * pile up); the claims are pruned with the chat retry claims (`data.channel: 'scheduler'`).
 */
import type { ClaimRepository } from '../domain/ports';

export const RUN_CLAIM_CHANNEL = 'scheduler';
const MAX_PERIOD_MS = 10 * 60_000;
const MIN_GUARDED_MS = 5 * 60_000;
const UNITS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** The guarded period of a schedule ("30 minutes", "1 hour", a cron expression), or null when not guarded. */
export function runPeriodMs(every: string): number | null {
  const m = /^(\d+)\s*(second|minute|hour|day|week)s?$/i.exec(every.trim());
  if (!m) return MAX_PERIOD_MS; // a cron expression: daily or weekly here
  const ms = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return ms < MIN_GUARDED_MS ? null : Math.min(ms, MAX_PERIOD_MS);
}

/**
 * Runs `run` unless this period's run was already claimed; returns whether it ran. The claim is
 * released when `run` throws, so a retry in the same period is not refused.
 */
export async function runOncePerPeriod(claims: ClaimRepository, name: string, every: string, now: Date, run: () => Promise<void>): Promise<boolean> {
  const period = runPeriodMs(every);
  if (period === null) {
    await run();
    return true;
  }
  const key = `job-run:${name}@${new Date(Math.floor(now.getTime() / period) * period).toISOString()}`;
  if (!(await claims.claim(key, { channel: RUN_CLAIM_CHANNEL }))) return false;
  try {
    await run();
    return true;
  } catch (e) {
    await claims.release(key).catch(() => undefined);
    throw e;
  }
}
