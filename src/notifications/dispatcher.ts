/**
 * Sends what the outbox holds. Each attempt is claimed first (`delivery:<key>:<attempt>`, a
 * unique insert), so two workers never send the same attempt; a failed attempt is retried with
 * exponential backoff and, after `maxAttempts`, the delivery is `dead`: kept with its lastError
 * and listable, never silently dropped. An attempt whose worker died is retried once its lease
 * has passed (at-least-once across a crash between "sent" and "marked sent"; exactly-once
 * otherwise).
 */
import type { ClaimRepository, Clock, Delivery, DeliveryRepository, Notifier, OutboundMessage } from '../domain/ports';
import type { RouteResult } from './compositeNotifier';

/** Anything that can send a message to its channels, skipping those already done. */
export interface DeliveryRouter {
  route(message: OutboundMessage, alreadySent: Record<string, string>): Promise<RouteResult>;
}

/** Wraps a plain Notifier (one channel) as a router. */
export function singleChannel(notifier: Notifier, channel = 'default'): DeliveryRouter {
  return {
    async route(message, alreadySent) {
      if (alreadySent[channel]) return { refs: { ...alreadySent }, errors: {} };
      try {
        const { ref } = await notifier.send(message);
        return { refs: { ...alreadySent, [channel]: ref }, errors: {} };
      } catch (e) {
        return { refs: { ...alreadySent }, errors: { [channel]: e instanceof Error ? e.message : String(e) } };
      }
    },
  };
}

export interface DispatcherOptions {
  /** Deliveries read per query. */
  batchSize?: number;
  /** Deliveries sent at the same time by one dispatcher. */
  concurrency?: number;
  /** Attempts before a delivery is dead. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long an attempt in flight holds the delivery before another worker may retry it. */
  leaseMs?: number;
  /** Upper bound on batches per dispatchDue call, so a job run always ends. */
  maxBatches?: number;
}

export interface DispatchStats {
  sent: number;
  failed: number;
  dead: number;
  /** Attempts another worker had already claimed. */
  skipped: number;
}

export interface DispatcherDeps {
  deliveries: DeliveryRepository;
  claims: ClaimRepository;
  clock: Clock;
  router: DeliveryRouter;
}

export const DEFAULT_DISPATCHER_OPTIONS: Required<DispatcherOptions> = {
  batchSize: 200,
  concurrency: 16,
  maxAttempts: 6,
  baseBackoffMs: 30_000,
  maxBackoffMs: 6 * 3_600_000,
  leaseMs: 120_000,
  maxBatches: 100,
};

export class Dispatcher {
  readonly opts: Required<DispatcherOptions>;
  constructor(
    private readonly deps: DispatcherDeps,
    opts: DispatcherOptions = {},
  ) {
    this.opts = { ...DEFAULT_DISPATCHER_OPTIONS, ...opts };
  }

  /** Delay before the retry that follows attempt `attempt` (1-based). */
  backoffMs(attempt: number): number {
    return Math.min(this.opts.maxBackoffMs, this.opts.baseBackoffMs * 2 ** (attempt - 1));
  }

  /** Sends every due delivery (batch after batch) and reports what happened. */
  async dispatchDue(): Promise<DispatchStats> {
    const stats: DispatchStats = { sent: 0, failed: 0, dead: 0, skipped: 0 };
    for (let batch = 0; batch < this.opts.maxBatches; batch++) {
      const due = await this.deps.deliveries.due(this.deps.clock.now(), this.opts.batchSize);
      if (!due.length) break;
      const before = stats.sent + stats.failed + stats.dead;
      await runPool(due, this.opts.concurrency, async (d) => {
        const outcome = await this.attempt(d);
        stats[outcome]++;
      });
      // A batch where every attempt belonged to someone else: the rest is theirs too for now.
      if (stats.sent + stats.failed + stats.dead === before) break;
    }
    return stats;
  }

  /** One attempt at one delivery, if this worker wins its claim. */
  async attempt(d: Delivery): Promise<'sent' | 'failed' | 'dead' | 'skipped'> {
    const { deliveries, claims, clock, router } = this.deps;
    const attempt = d.attempts + 1;
    const claimKey = `delivery:${d.key}:${attempt}`;
    if (!(await claims.claim(claimKey, { at: clock.now().toISOString() }))) return 'skipped';
    try {
      await deliveries.startAttempt(d.key, attempt, new Date(clock.now().getTime() + this.opts.leaseMs), clock.now());
    } catch (e) {
      // Nothing was sent: give the attempt back, or the delivery could never be claimed again.
      await claims.release(claimKey).catch(() => undefined);
      throw e;
    }
    let result: RouteResult;
    try {
      result = await router.route(d, d.refs);
    } catch (e) {
      result = { refs: d.refs, errors: { route: e instanceof Error ? e.message : String(e) } };
    }
    const errors = Object.entries(result.errors);
    if (!errors.length) {
      await deliveries.markSent(d.key, attempt, result.refs, clock.now());
      return 'sent';
    }
    const message = errors.map(([c, e]) => `${c}: ${e}`).join('; ');
    const dead = attempt >= this.opts.maxAttempts;
    const retryAt = dead ? null : new Date(clock.now().getTime() + this.backoffMs(attempt));
    await deliveries.markFailed(d.key, attempt, message, retryAt, result.refs, clock.now());
    return dead ? 'dead' : 'failed';
  }
}

/** Runs `fn` over items with at most `limit` in flight. */
async function runPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
