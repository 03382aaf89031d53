/**
 * How long each kind of operational data is kept (issue 16, data lifecycle). Only data that is
 * not the audit trail: the `history`, its checkpoints and the record projections are never
 * swept, and an evaluation run is kept whatever its age while it is the latest of its model and
 * suite (or the latest passing one, which approval gates check) or a record refers to it.
 * Configured with RETENTION_DAYS (`deliveries=30,evalRuns=730`); unnamed kinds keep their default.
 */

export const RETENTION_KINDS = {
  /** Outbox messages sent (and their attempts and outcomes). Pending and failing ones are never swept. */
  deliveries: 30,
  /** Outbox messages that went dead: listed on the console dashboard, so kept longer. */
  deadDeliveries: 180,
  /** One-off Agenda 'eval-run' jobs after they finished (the recurring jobs are never swept). */
  evalJobs: 7,
  /** Evaluation runs with their per-case results (protected runs are kept: see above). */
  evalRuns: 365,
  /** Leases of finished evaluation runs (and their resume claims). */
  evalLeases: 30,
  /** Where Steward's Slack and Teams messages live, to thread under or edit them later. */
  messageRefs: 180,
  /** Slack and Teams retry claims (a click or event retried within minutes). */
  chatClaims: 7,
} as const;

export type RetentionKind = keyof typeof RETENTION_KINDS;
export type RetentionPolicy = Record<RetentionKind, number>;

export const DEFAULT_RETENTION: RetentionPolicy = { ...RETENTION_KINDS };

/** The longest retention accepted (about 27 years): beyond it "keep for ever" is meant; say so with 0. */
const MAX_DAYS = 10_000;

/**
 * Parses `kind=days,kind=days`; days 0 means "never sweep this kind". Returns the policy or the
 * first problem, in words naming the part that was wrong.
 */
export function parseRetention(raw: string | undefined): { policy: RetentionPolicy } | { problem: string } {
  const policy: RetentionPolicy = { ...DEFAULT_RETENTION };
  if (!raw?.trim()) return { policy };
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]+)\s*=\s*(\d+)$/.exec(part);
    if (!m) return { problem: `'${part}' is not kind=days` };
    const kind = m[1] as RetentionKind;
    if (!(kind in RETENTION_KINDS)) return { problem: `'${m[1]}' is not a kind; expected one of ${Object.keys(RETENTION_KINDS).join(', ')}` };
    const days = Number(m[2]);
    if (days > MAX_DAYS) return { problem: `${kind}: at most ${MAX_DAYS} days (0 keeps for ever)` };
    policy[kind] = days;
  }
  return { policy };
}
