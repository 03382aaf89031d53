/**
 * Leases for evaluation runs and endpoints (generations inserted in src/store/evalLeases.repo).
 *
 * A run's lease says which worker runs it now. The holder renews it (inserts the next
 * generation) every third of its lifetime; a worker that dies stops renewing, the lease runs
 * out, and the `eval-run.resume` job queues the request again so that another worker takes the
 * lease over. On SIGTERM a worker releases its leases at once (no wait for expiry). A holder
 * that lost its lease (a takeover after it stalled) records nothing: it checks that it still
 * holds the lease right before the run's commit claim.
 *
 * An endpoint's lease ("one run per endpoint across all workers") works the same way, with
 * "released" meaning free; it replaces the claim that never expired and was taken over only
 * after three hours.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EvalLease, LeaseState, MongoEvalLeaseRepository } from '../../store/evalLeases.repo';

/** Default lease lifetime: renewed every 20 s, so a dead holder is noticed within a minute. */
export const DEFAULT_EVAL_LEASE_MS = 60_000;
/** A run interrupted this many times is given up (and its starter told), not retried for ever. */
export const MAX_EVAL_ATTEMPTS = 5;

/** This process, as a lease holder. */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export type Acquired =
  | { kind: 'acquired'; lease: LeaseHandle }
  | { kind: 'held'; by: EvalLease }
  | { kind: 'finished'; state: LeaseState }
  | { kind: 'abandoned'; attempts: number };

/** A run whose head is one of these is not run again ('failed' may be: queued anew, it runs). */
const TERMINAL: LeaseState[] = ['done', 'abandoned'];

export interface LeaseOptions {
  ttlMs?: number;
  holder?: string;
  /** Keys that never finish (endpoints): a 'done' head does not block them. */
  reusable?: boolean;
  now?: () => Date;
}

/** Active leases of this process, released together on shutdown. */
const active = new Set<LeaseHandle>();

export class LeaseHandle {
  private timer: NodeJS.Timeout | undefined;
  private lostFlag = false;
  /** Ended by this holder (done, failed, released): it may write nothing more. */
  private ended = false;
  constructor(
    private readonly repo: MongoEvalLeaseRepository,
    private current: EvalLease,
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  get generation(): number {
    return this.current.generation;
  }
  get attempt(): number {
    return this.current.attempt;
  }
  /** True once another worker took the lease over, or this process released it (shutdown). */
  get lost(): boolean {
    return this.lostFlag || (this.ended && this.current.state === 'released');
  }

  /** Renews every third of the lifetime until ended; a failed renewal marks the lease lost. */
  keepAlive(): this {
    active.add(this);
    const beat = () => {
      this.timer = setTimeout(() => {
        this.renew().then(
          (held) => (held && !this.lostFlag ? beat() : undefined),
          () => beat(), // the database hiccuped: try again; expiry decides if it stays away
        );
      }, Math.max(50, Math.floor(this.ttlMs / 3)));
      this.timer.unref();
    };
    beat();
    return this;
  }

  /** Inserts the next generation as the same holder; false when someone else took it. */
  async renew(): Promise<boolean> {
    if (this.lostFlag || this.ended) return false;
    return this.next('running', this.ttlMs);
  }

  /** Ends the lease with `state` (done, failed, released). False when it was no longer held. */
  async end(state: LeaseState): Promise<boolean> {
    this.stop();
    if (this.lostFlag || this.ended) return false;
    this.ended = true;
    return this.next(state, 0);
  }

  private async next(state: LeaseState, ttlMs: number): Promise<boolean> {
    const at = this.now();
    const lease: EvalLease = { ...this.current, generation: this.current.generation + 1, state, at, leaseUntil: new Date(at.getTime() + ttlMs) };
    if (await this.repo.insert(lease)) {
      this.current = lease;
      return true;
    }
    this.lostFlag = true;
    this.stop();
    return false;
  }

  /** Stops renewing without writing anything: the lease runs out by itself. */
  stopRenewing(): void {
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    active.delete(this);
  }
}

/**
 * Takes the lease of `key` when nobody holds it or its holder stopped renewing. Exactly one of
 * several workers trying at once wins (the unique insert of the next generation).
 */
export async function acquireLease(repo: MongoEvalLeaseRepository, key: string, request: Record<string, unknown>, opts: LeaseOptions = {}): Promise<Acquired> {
  const now = opts.now ?? (() => new Date());
  const ttlMs = opts.ttlMs ?? DEFAULT_EVAL_LEASE_MS;
  const head = await repo.head(key);
  const at = now();
  if (head && !opts.reusable && TERMINAL.includes(head.state)) return { kind: 'finished', state: head.state };
  if (head && head.state === 'running' && head.leaseUntil.getTime() > at.getTime()) return { kind: 'held', by: head };
  const attempt = opts.reusable ? 1 : (head?.attempt ?? 0) + 1;
  const base = { runKey: key, generation: (head?.generation ?? 0) + 1, attempt, holder: opts.holder ?? PROCESS_HOLDER, at, request: head?.request ?? request };
  if (attempt > MAX_EVAL_ATTEMPTS) {
    // Interrupted too often: given up in the open, never retried silently for ever.
    await repo.insert({ ...base, state: 'abandoned', leaseUntil: at });
    return { kind: 'abandoned', attempts: attempt - 1 };
  }
  const lease: EvalLease = { ...base, state: 'running', leaseUntil: new Date(at.getTime() + ttlMs) };
  if (!(await repo.insert(lease))) {
    const winner = await repo.head(key);
    return winner ? { kind: 'held', by: winner } : { kind: 'held', by: lease };
  }
  return { kind: 'acquired', lease: new LeaseHandle(repo, lease, ttlMs, now) };
}

/**
 * Shutdown: releases every lease this process holds, so another worker may resume the runs at
 * once instead of after the lease's expiry. The runs still going here can no longer record.
 */
export async function releaseActiveLeases(): Promise<number> {
  const held = [...active];
  await Promise.all(held.map((l) => l.end('released').catch(() => false)));
  return held.length;
}
