/**
 * How the orchestrator's grace period (SHUTDOWN_GRACE_SECONDS: SIGTERM, then SIGKILL that many
 * seconds later) is shared out, so that every stage ends before the kill rather than being cut
 * by it. In order: in-flight HTTP requests drain, the worker lets running jobs finish (its
 * evaluation runs are handed over at once: their leases are released for another worker), the
 * database closes and logs flush. A margin is kept for that last part and for the signal's
 * own delivery.
 */
export interface ShutdownDeadlines {
  /** The process exits (1) if it is not down by then. */
  exitAfterMs: number;
  /** In-flight HTTP requests may run this long after SIGTERM. */
  httpDrainMs: number;
  /** Running scheduled jobs may run this long once HTTP is closed. */
  jobsDrainMs: number;
}

/** Left for closing the database and flushing logs after the drains, and for signal latency. */
const MARGIN_MS = 2_000;

export function shutdownDeadlines(graceSeconds: number): ShutdownDeadlines {
  const exitAfterMs = Math.max(1_000, graceSeconds * 1000 - MARGIN_MS);
  // A third for requests (a Slack request must be answered within 3 s anyway), the rest but a margin for jobs.
  const httpDrainMs = Math.max(500, Math.floor(exitAfterMs / 3));
  const jobsDrainMs = Math.max(500, exitAfterMs - httpDrainMs - MARGIN_MS);
  return { exitAfterMs, httpDrainMs, jobsDrainMs };
}
