/**
 * The scheduler process: Agenda 6 on the app's own database connection (Agenda's own connect
 * has no error handler, so it is handed the already-connected Db), every job in jobs/, the
 * event routing, and the outbox dispatcher. The dispatcher is a poll loop in every worker
 * rather than an Agenda job: an Agenda job runs on one worker at a time, while per-attempt
 * claims let every worker send in parallel. `stop()` lets running work finish first.
 *
 * Agenda's job lock is a conditional update, which FerretDB does not make atomic: two workers
 * may run the same job occurrence. That is safe by construction: sweeps queue messages under
 * unique keys and the dispatcher claims every attempt, so a doubled run sends nothing twice.
 */
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Connection } from 'mongoose';
import type { DeliveryRepository, DomainContext } from '../domain/ports';
import type { ScheduleContext } from '../domain/schedules/context';
import { CompositeNotifier } from '../notifications/compositeNotifier';
import { Dispatcher, type DeliveryRouter, type DispatcherDeps, type DispatcherOptions } from '../notifications/dispatcher';
import { routeEvents } from '../notifications/routeEvents';
import { createDeliveryRepository } from '../store/deliveries.repo';
import { sweepReactions } from '../domain/records/sweepReactions';
import { releaseActiveLeases } from '../evals/service/evalLease';
import type { RetentionPolicy } from '../domain/retention/policy';
import { metrics } from '../observability/metrics';
import type { JobDef, JobLogger } from './job';
import { ALL_JOBS } from './jobs';
import { REACTIONS_GRACE_MS } from './jobs/reactionsSweep.job';
import { removeDuplicateSchedules } from './dedupeSchedules';
import { runOncePerPeriod } from './runGuard';

/** pino-compatible: (object, message). */
export type WorkerLogger = JobLogger;

export interface WorkerOptions {
  /** Names this worker in Agenda's lastModifiedBy (default: steward-<pid>). */
  name?: string;
  /** How often Agenda polls for due jobs (ms or "5 seconds"). Default 5 s. */
  processEvery?: number | string;
  /** How long a running job holds its lock before another worker may take it over (ms). Default 10 min. */
  lockLifetime?: number;
  /** Runs of one job at the same time in this worker. Default 1. */
  concurrency?: number;
  /** Jobs of all kinds at the same time in this worker. Default 10. */
  maxConcurrency?: number;
  /** The jobs to run (default: all of jobs/). */
  jobs?: readonly JobDef[];
  /** Per-job interval overrides, by job name (tests and operators). */
  every?: Record<string, string>;
  /** Where outbound messages go; default: a CompositeNotifier with only the console channel. */
  router?: DeliveryRouter;
  deliveries?: DeliveryRepository;
  dispatcher?: DispatcherOptions;
  /** Also route domain events to the outbox in this process (default true). */
  routeEvents?: boolean;
  /** Send routed messages at once rather than at the next dispatch (default: when this worker dispatches at all). */
  sendAtOnce?: boolean;
  /** How often this worker sends what the outbox holds (ms); 0 turns the loop off. Default 2 s. */
  dispatchEveryMs?: number;
  /** How long stop() waits for running jobs (ms). Default 30 s. */
  drainTimeoutMs?: number;
  /** Finish unfinished reactions once at start, before the first scheduled sweep (default true). */
  sweepReactionsOnStart?: boolean;
  logger?: WorkerLogger;
  /** RETENTION_DAYS for the retention sweep (default: the documented defaults). */
  retention?: RetentionPolicy;
}

export interface Worker {
  agenda: Agenda;
  dispatcher: Dispatcher;
  deliveries: DeliveryRepository;
  /** The composite notifier when the default router is used: channels register on it. */
  notifier?: CompositeNotifier;
  /** The reaction sweep run at start (resolved once it is done; never rejects). */
  startupSweep: Promise<unknown>;
  /**
   * For /readyz: null while Agenda polls and the dispatcher's passes keep finishing, else why
   * not ("outbox dispatcher: no pass finished for 95 s").
   */
  health(): string | null;
  /** Stops polling, waits for running jobs (up to drainTimeoutMs), leaves the connection open. */
  stop(): Promise<void>;
}

/** A dispatcher pass may take this long (a big batch on a slow database) before the worker is unready. */
const DISPATCH_STALL_MS = 90_000;
/** Consecutive failed passes (the database refusing, say) before the worker is unready. */
const DISPATCH_FAILURES_UNREADY = 3;

type RunAttrs = { attrs?: { name?: string; lastRunAt?: Date; lastFinishedAt?: Date } };
/** Runs, failures and durations per job, from Agenda's own events. */
function observeJob(job: RunAttrs, outcome: 'ok' | 'failed'): void {
  const name = job?.attrs?.name ?? 'unknown';
  metrics.schedulerRuns.inc({ job: name, outcome });
  const started = job?.attrs?.lastRunAt ? new Date(job.attrs.lastRunAt).getTime() : undefined;
  if (started) metrics.schedulerDuration.observe({ job: name }, Math.max(0, (job.attrs?.lastFinishedAt ? new Date(job.attrs.lastFinishedAt).getTime() : Date.now()) - started) / 1000);
}

export async function startWorker(ctx: DomainContext & { conn: Connection }, opts: WorkerOptions = {}): Promise<Worker> {
  const db = ctx.conn.db;
  if (!db) throw new Error('the database connection is not open');
  const deliveries = opts.deliveries ?? createDeliveryRepository(ctx.conn);
  const notifier = opts.router ? undefined : new CompositeNotifier(ctx.repos.people);
  const router = opts.router ?? notifier!;
  const deliveryLog = opts.logger && 'debug' in opts.logger && 'warn' in opts.logger ? (opts.logger as unknown as NonNullable<DispatcherDeps['logger']>) : undefined;
  const dispatcher = new Dispatcher({ deliveries, clock: ctx.clock, router, ...(deliveryLog ? { logger: deliveryLog } : {}) }, opts.dispatcher);
  const sctx: ScheduleContext = { ...ctx, deliveries };
  const log = opts.logger;

  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: 'agendaJobs' }),
    name: opts.name ?? `steward-${process.pid}`,
    processEvery: opts.processEvery ?? '5 seconds',
    defaultLockLifetime: opts.lockLifetime ?? 10 * 60_000,
    defaultConcurrency: opts.concurrency ?? 1,
    maxConcurrency: opts.maxConcurrency ?? 10,
  });
  let stopped = false;
  // An EventEmitter 'error' without a listener would kill the process.
  agenda.on('error', (err) => log?.error({ err }, 'scheduler error'));
  agenda.on('fail', (err: Error | string, job: { attrs?: { name?: string } }) => {
    // Agenda's liveness check cancels a running job whose lock is gone: stop() unlocks the jobs
    // still running once its drain time is up (the hand-over working), and on FerretDB, whose
    // findAndModify is not atomic, two workers can lock one job and the first to finish unlocks
    // it under the other. Either way the job's work is guarded by its own claims and leases.
    // (Or, rarely, the run's duplicate schedule was removed under it: ./dedupeSchedules.ts.)
    if (/no lockedAt date found|maybe it does not exist anymore/.test(String(err instanceof Error ? err.message : err))) {
      log?.info({ job: job?.attrs?.name, stopping: stopped }, 'a running job lost its lock (handed over at shutdown, or finished by another worker)');
      return;
    }
    log?.error({ err, job: job?.attrs?.name }, 'scheduled job failed');
  });
  agenda.on('success', (job: RunAttrs) => observeJob(job, 'ok'));
  agenda.on('fail', (_err: unknown, job: RunAttrs) => observeJob(job, 'failed'));

  const jobs = opts.jobs ?? ALL_JOBS;
  for (const def of jobs) {
    agenda.define(def.name, async (job) => {
      const payload = def.payload.safeParse(job.attrs.data ?? {});
      if (!payload.success) throw new Error(`${def.name}: invalid payload: ${payload.error.issues[0]?.message ?? 'invalid'}`);
      const started = Date.now();
      const runIt = async () => {
        const result = await def.run({ ctx: sctx, dispatcher, log, ...(opts.retention ? { retention: opts.retention } : {}) }, payload.data);
        log?.info({ job: def.name, ms: Date.now() - started, result }, 'scheduled job done');
      };
      // A one-off run (agenda.now) always runs; a recurring one once per period (./runGuard.ts).
      if (!job.attrs.repeatInterval) return runIt();
      if (!(await runOncePerPeriod(ctx.repos.claims, def.name, opts.every?.[def.name] ?? def.every, new Date(), runIt))) {
        log?.info({ job: def.name }, 'scheduled job skipped: this period\'s run has started already (here or on another worker)');
      }
    });
  }
  const unroute = opts.routeEvents === false ? () => undefined : routeEvents(ctx, deliveries, {
    onError: (err, event) => log?.error({ err, event: event.type }, 'event routing failed'),
    // Sent at once by this process; the dispatch loop below retries what fails.
    ...((opts.sendAtOnce ?? opts.dispatchEveryMs !== 0) ? { sendNow: (messages) => dispatcher.sendNow(messages) } : {}),
  });

  // After a crash or a deploy, consequences left unfinished are completed now rather than at the
  // first scheduled sweep; in the background, after routing is subscribed so its events queue messages.
  const startupSweep =
    opts.sweepReactionsOnStart === false
      ? Promise.resolve()
      : sweepReactions(sctx, {
          graceMs: REACTIONS_GRACE_MS,
          onError: (err, entry) => log?.error({ err, stream: entry.stream, version: entry.version }, 'a reaction failed; the next sweep retries it'),
        }).then(
          (result) => log?.info({ result }, 'startup reaction sweep done'),
          (err) => log?.error({ err }, 'startup reaction sweep failed; the scheduled sweep retries'),
        );

  await agenda.start();
  for (const def of jobs) await agenda.every(opts.every?.[def.name] ?? def.every, def.name, {});
  // Workers starting together can each have created a schedule (./dedupeSchedules.ts).
  const removed = await removeDuplicateSchedules(db.collection('agendaJobs'), jobs.map((d) => d.name));
  if (removed) log?.info({ removed }, 'duplicate job schedules removed');

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const dispatchEvery = opts.dispatchEveryMs ?? 2000;
  // What /readyz needs to know about the dispatcher loop.
  const pass = { startedAt: 0, endedAt: Date.now(), inPass: false, failures: 0, lastError: '' };
  const tick = () => {
    pass.startedAt = Date.now();
    pass.inPass = true;
    running = dispatcher
      .dispatchDue()
      .then(() => {
        pass.failures = 0;
        metrics.dispatchPasses.inc({ outcome: 'ok' });
      })
      .catch((err) => {
        pass.failures++;
        pass.lastError = err instanceof Error ? err.message : String(err);
        metrics.dispatchPasses.inc({ outcome: 'failed' });
        log?.error({ err }, 'dispatch failed');
      })
      .finally(() => {
        pass.inPass = false;
        pass.endedAt = Date.now();
        if (!stopped) timer = setTimeout(tick, dispatchEvery);
      });
  };
  if (dispatchEvery > 0) tick();

  let stopping: Promise<void> | undefined;
  return {
    agenda,
    dispatcher,
    deliveries,
    notifier,
    startupSweep,
    health() {
      if (stopped) return 'scheduler: stopped';
      if (!agenda.isActiveJobProcessor()) return 'scheduler: not polling for jobs';
      if (dispatchEvery <= 0) return null;
      if (pass.inPass && Date.now() - pass.startedAt > DISPATCH_STALL_MS) {
        return `outbox dispatcher: a pass has been running for ${Math.round((Date.now() - pass.startedAt) / 1000)} s`;
      }
      if (!pass.inPass && Date.now() - pass.endedAt > dispatchEvery + DISPATCH_STALL_MS) return 'outbox dispatcher: not running';
      if (pass.failures >= DISPATCH_FAILURES_UNREADY) return `outbox dispatcher: ${pass.failures} passes failed in a row (${pass.lastError.slice(0, 200)})`;
      return null;
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        // Evaluation runs under way here cannot finish within a grace period: hand them over now
        // (another worker resumes them) rather than when their leases run out.
        await releaseActiveLeases().catch((err) => log?.error({ err }, 'releasing evaluation leases failed; they expire instead'));
        const drainMs = opts.drainTimeoutMs ?? 30_000;
        // One deadline for both waits, so stop() ends within drainTimeoutMs (the grace period's share).
        const until = Date.now() + drainMs;
        await Promise.race([Promise.all([running, startupSweep]), new Promise((r) => setTimeout(r, drainMs).unref())]);
        await agenda.drain({ timeout: Math.max(1, until - Date.now()), closeConnection: false });
        // Last: events of the sweeps that just finished still queue their messages.
        unroute();
        // Clears Agenda's timers too; a job still running after the timeout is left to its
        // lock's expiry (another worker takes it over).
        await agenda.stop(false);
      })();
      return stopping;
    },
  };
}
