/**
 * Sends what the outbox holds, a batch at a time. Each attempt is claimed first (a unique
 * insert of `<key>#<attempt>`), so two workers never send the same attempt; a failed attempt is
 * retried with exponential backoff and, after `maxAttempts`, the delivery is `dead`: kept with
 * its lastError and listable, never silently dropped. An attempt whose worker died is retried
 * once its lease has passed (at-least-once across a crash between sending and recording the
 * outcome; exactly-once otherwise).
 */
import type { AttemptOutcome, Clock, DeliveryRepository, Notifier, OutboundMessage, QueuedAttempt } from '../domain/ports';
import { metrics } from '../observability/metrics';
import { withRequestId } from '../observability/requestContext';
import { tracer } from '../observability/tracing';
import type { RouteResult } from './compositeNotifier';
import { failedForGood } from './undeliverable';

/** Anything that can send a message to its channels, skipping those already done. */
export interface DeliveryRouter {
  route(message: OutboundMessage, alreadySent: Record<string, string>): Promise<RouteResult>;
  /** Told a batch's messages before they are routed one by one (to look recipients up at once). */
  prepare?(messages: OutboundMessage[]): Promise<void>;
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
  /** Queue entries read per query. */
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
  /** How often (ms) dispatchDue also requeues messages an enqueuer stored but never queued. */
  orphanCheckEveryMs?: number;
}

export interface DispatchStats {
  sent: number;
  failed: number;
  dead: number;
  /** Attempts another worker had claimed (in flight or finished). */
  skipped: number;
  /** Attempts taken over from a worker that stopped mid-attempt. */
  recovered: number;
}

export interface DispatcherDeps {
  deliveries: DeliveryRepository;
  clock: Clock;
  router: DeliveryRouter;
  /** One line per settled attempt (debug when sent), carrying the id of the request that queued it. */
  logger?: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export const DEFAULT_DISPATCHER_OPTIONS: Required<DispatcherOptions> = {
  batchSize: 2000,
  concurrency: 16,
  maxAttempts: 6,
  baseBackoffMs: 30_000,
  maxBackoffMs: 6 * 3_600_000,
  leaseMs: 120_000,
  maxBatches: 100,
  orphanCheckEveryMs: 10 * 60_000,
};

const attemptId = (a: { key: string; attempt: number }) => `${a.key}#${a.attempt}`;

/** How long an attempt lost to another worker is left alone before its claim is looked up. */
const RECHECK_MS = 5_000;

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

  /** The first check waits a period: orphans are at least minutes old, and startup stays quick. */
  private lastOrphanCheck = Date.now();

  /**
   * Attempts another worker claimed, by `<key>#<attempt>`, with the time (clock ms) until which
   * this worker leaves them alone: they are kept out of its batches, so two workers draining a
   * burst do not keep picking each other's entries. Only a hint: the claim decides.
   */
  private readonly held = new Map<string, number>();

  /** Drops hints long past (their entries are gone, or will be met and looked up afresh). */
  private forgetHeld(now: Date): void {
    for (const [id, until] of this.held) if (until < now.getTime() - this.opts.leaseMs) this.held.delete(id);
  }

  /** Sends every due delivery (batch after batch) and reports what happened. */

  async dispatchDue(): Promise<DispatchStats> {
    const stats: DispatchStats = { sent: 0, failed: 0, dead: 0, skipped: 0, recovered: 0 };
    const now = this.deps.clock.now();
    if (Date.now() - this.lastOrphanCheck >= this.opts.orphanCheckEveryMs) {
      this.lastOrphanCheck = Date.now();
      // Only messages old enough that their enqueuer has surely finished (or died).
      await this.deps.deliveries.requeueOrphans(new Date(now.getTime() - 86_400_000), new Date(now.getTime() - 5 * 60_000));
    }
    this.forgetHeld(now);
    for (let batch = 0; batch < this.opts.maxBatches; batch++) {
      // Read twice the batch (more when entries are held elsewhere) and take a random half of what
      // is not known to be another worker's: parallel workers mostly claim different entries.
      const at = this.deps.clock.now();
      const window = (await this.deps.deliveries.due(at, this.opts.batchSize * 2 + this.held.size)).filter((a) => !((this.held.get(attemptId(a)) ?? 0) > at.getTime()));
      if (!window.length) break;
      const due = shuffle(window).slice(0, this.opts.batchSize);
      const progressed = await this.dispatchBatch(due, stats);
      // Every entry belonged to someone else: the rest is theirs for now.
      if (!progressed) break;
    }
    return stats;
  }

  /**
   * Sends just-queued messages at once, from the process that queued them, instead of waiting
   * for the next tick. Their first attempts are claimed like any other (`<key>#1`), so the tick
   * that later finds their queue entries sends nothing twice, and a send that fails or dies here
   * is retried by the outbox as usual.
   */
  async sendNow(messages: OutboundMessage[]): Promise<DispatchStats> {
    const stats: DispatchStats = { sent: 0, failed: 0, dead: 0, skipped: 0, recovered: 0 };
    const at = this.deps.clock.now();
    if (messages.length) await this.dispatchBatch(messages.map((message) => ({ key: message.key, attempt: 1, nextAttemptAt: at, message })), stats);
    return stats;
  }

  /** Claims, sends and records one batch; returns how many entries it settled. */
  async dispatchBatch(due: QueuedAttempt[], stats: DispatchStats): Promise<number> {
    const { deliveries, clock, router } = this.deps;
    const now = clock.now();
    const won = await deliveries.claimAttempts(due, now, new Date(now.getTime() + this.opts.leaseMs));
    const lost = due.filter((a) => !won.has(attemptId(a)));
    const outcomes: AttemptOutcome[] = [];
    let settled = 0;
    if (lost.length) {
      // Lost for the first time: almost always another worker sending it right now. Looking up
      // each claim ($in, which FerretDB evaluates document by document) is left for an entry
      // that is still queued when this worker meets it again, after RECHECK_MS.
      const seen = lost.filter((a) => this.held.has(attemptId(a)));
      for (const a of lost) if (!this.held.has(attemptId(a))) this.held.set(attemptId(a), now.getTime() + Math.min(RECHECK_MS, this.opts.leaseMs));
      stats.skipped += lost.length - seen.length;
      const state = await deliveries.attemptState(seen.map(attemptId));
      const stale: string[] = [];
      for (const a of seen) {
        const s = state.get(attemptId(a));
        if (s?.done) stale.push(attemptId(a)); // finished; its queue entry outlived a crash
        else if (s && s.leaseUntil.getTime() <= now.getTime()) {
          // The worker holding it stopped mid-attempt: record that, which queues the next attempt.
          outcomes.push(this.failure(a, {}, 'the worker stopped during this attempt', now, 0));
          stats.recovered++;
        } else {
          // In flight elsewhere: not looked at again before its lease ends.
          if (s) this.held.set(attemptId(a), s.leaseUntil.getTime());
          stats.skipped++;
        }
        if (s?.done || (s && s.leaseUntil.getTime() <= now.getTime())) this.held.delete(attemptId(a));
      }
      await deliveries.dropQueued(stale);
      settled += stale.length;
    }
    const mine = due.filter((a) => won.has(attemptId(a)));
    // One read for the whole batch; refs of earlier attempts only for retries.
    const messages = await deliveries.messages(
      mine.filter((a) => !a.message).map((a) => a.key),
      mine.filter((a) => a.attempt > 1).map((a) => a.key),
      [...new Set(mine.flatMap((a) => (!a.message && a.batch ? [a.batch] : [])))],
    );
    // Recipients looked up once for the batch; a failure here leaves each send to look up its own.
    await router.prepare?.(mine.flatMap((a) => { const m = messages.get(a.key)?.message ?? a.message; return m ? [m] : []; })).catch(() => undefined);
    await runPool(mine, this.opts.concurrency, async (a) => {
      const stored = messages.get(a.key) ?? (a.message ? { message: a.message, refs: {} } : undefined);
      if (!stored) {
        outcomes.push({ ...this.failure(a, {}, 'the message record is missing', clock.now(), 0), outcome: 'dead', retryAt: undefined });
        return;
      }
      // The send runs as part of the request that queued the message: its logs carry that id.
      await withRequestId(stored.requestId, () =>
        tracer.inSpan('outbox.deliver', { 'steward.delivery_key': a.key, 'steward.attempt': a.attempt }, async () => {
          let result: RouteResult;
          try {
            result = await router.route(stored.message, stored.refs);
          } catch (e) {
            result = { refs: stored.refs, errors: { route: e instanceof Error ? e.message : String(e) } };
          }
          const errors = Object.entries(result.errors);
          const outcome = !errors.length
            ? ({ key: a.key, attempt: a.attempt, outcome: 'sent', refs: result.refs, at: clock.now() } as const)
            : this.failure(a, result.refs, errors.map(([c, e]) => `${c}: ${e}`).join('; '), clock.now());
          outcomes.push(outcome);
          const line = { delivery: a.key, attempt: a.attempt, outcome: outcome.outcome, channels: Object.keys(result.refs) };
          if (outcome.outcome === 'sent') this.deps.logger?.debug(line, 'delivery sent');
          else this.deps.logger?.warn({ ...line, error: outcome.error }, 'delivery attempt failed');
        }),
      );
    });
    await deliveries.recordOutcomes(outcomes);
    for (const o of outcomes) {
      metrics.deliveries.inc({ outcome: o.outcome });
      if (!o.error?.startsWith('the worker stopped')) stats[o.outcome]++;
    }
    return settled + outcomes.length;
  }

  private failure(a: QueuedAttempt, refs: Record<string, string>, error: string, at: Date, delayMs?: number): AttemptOutcome {
    // A failure no retry can fix (a workspace that uninstalled Steward: ./undeliverable.ts) is dead at once.
    const dead = a.attempt >= this.opts.maxAttempts || failedForGood(error);
    return {
      key: a.key,
      attempt: a.attempt,
      outcome: dead ? 'dead' : 'failed',
      refs,
      error,
      ...(dead ? {} : { retryAt: new Date(at.getTime() + (delayMs ?? this.backoffMs(a.attempt))) }),
      at,
    };
  }
}

function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Runs `fn` over items with at most `limit` in flight. */
async function runPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
