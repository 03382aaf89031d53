/**
 * Everything an evaluation run needs besides the DomainContext: where runs are stored, the
 * queue, the suites and thresholds, and the per-endpoint limiters. One runtime per database
 * connection; the scheduler jobs find it from the context they are given (see evalRuntimeFor).
 */
import type { Connection } from 'mongoose';
import type { EvalThresholds } from '../../domain/evals/types';
import type { DomainContext, EvalRunRepository } from '../../domain/ports';
import { MongoEvalLeaseRepository } from '../../store/evalLeases.repo';
import { MongoEvalRunRepository } from '../../store/evalRuns.repo';
import type { RetryPolicy } from '../chatClient';
import { sharedEndpointLimiters, type EndpointLimiters } from '../limiter';
import { DEFAULT_EVALS_DIR, loadSuites, loadThresholds } from '../loadSuites';
import type { Suite } from '../suite.schema';
import { agendaEvalQueue, type EvalQueue } from './evalQueue';

export interface EvalRuntimeOptions {
  /** Folder of the suites and thresholds.yaml (default playbooks/evals). */
  suitesDir?: string;
  /** Environment the API keys are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  limiters?: EndpointLimiters;
  /** In-flight requests per endpoint (shared by every run of the process). Default 4. */
  concurrency?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How long a run waits before trying a busy endpoint again (wall-clock ms). Default 60 s. */
  endpointBusyRetryMs?: number;
  /**
   * Unused since endpoints are held by leases that expire (src/evals/service/evalLease.ts);
   * kept so existing configurations still type-check.
   */
  staleEndpointAfterMs?: number;
  /** Lifetime of a run's and an endpoint's lease (renewed every third of it). Default 60 s. */
  leaseMs?: number;
}

export interface EvalRuntime {
  evalRuns: EvalRunRepository;
  queue: EvalQueue;
  suites(): Map<string, Suite>;
  thresholds(): Record<string, EvalThresholds>;
  limiters: EndpointLimiters;
  env: NodeJS.ProcessEnv;
  concurrency?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  endpointBusyRetryMs: number;
  staleEndpointAfterMs: number;
  /** Where run and endpoint leases are kept (default: on the job context's connection). */
  leases?: MongoEvalLeaseRepository;
  leaseMs?: number;
}

export const DEFAULT_ENDPOINT_BUSY_RETRY_MS = 60_000;
export const DEFAULT_STALE_ENDPOINT_AFTER_MS = 3 * 60 * 60_000;

export function createEvalRuntime(deps: { evalRuns: EvalRunRepository; queue: EvalQueue; leases?: MongoEvalLeaseRepository }, opts: EvalRuntimeOptions = {}): EvalRuntime {
  const dir = opts.suitesDir ?? DEFAULT_EVALS_DIR;
  // Read once, on first use: a broken suite file fails the first run with its message, not startup.
  let suites: Map<string, Suite> | undefined;
  let thresholds: Record<string, EvalThresholds> | undefined;
  return {
    ...deps,
    suites: () => (suites ??= loadSuites(dir)),
    thresholds: () => (thresholds ??= loadThresholds(dir)),
    limiters: opts.limiters ?? sharedEndpointLimiters,
    env: opts.env ?? process.env,
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    endpointBusyRetryMs: opts.endpointBusyRetryMs ?? DEFAULT_ENDPOINT_BUSY_RETRY_MS,
    staleEndpointAfterMs: opts.staleEndpointAfterMs ?? DEFAULT_STALE_ENDPOINT_AFTER_MS,
    ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
  };
}

/** The default runtime on a connection: runs in eval_runs, the queue in Agenda's collection. */
export function evalRuntimeOnConnection(conn: Connection, opts: EvalRuntimeOptions = {}): EvalRuntime {
  const db = conn.db;
  if (!db) throw new Error('the database connection is not open');
  return createEvalRuntime({ evalRuns: new MongoEvalRunRepository(conn), queue: agendaEvalQueue(db), leases: evalLeasesOn(conn) }, opts);
}

const byConnection = new WeakMap<Connection, EvalRuntime>();

/** Makes `runtime` the one the jobs use on this connection (composition root, tests). */
export function bindEvalRuntime(conn: Connection, runtime: EvalRuntime): EvalRuntime {
  byConnection.set(conn, runtime);
  return runtime;
}

/**
 * The runtime for a job's context. Jobs receive the worker's context, which is the app's
 * AppContext (it carries `conn`); the first call builds the default runtime on it.
 */
export function evalRuntimeFor(ctx: DomainContext): EvalRuntime {
  const conn = (ctx as DomainContext & { conn?: Connection }).conn;
  if (!conn) throw new Error('evaluations need the context of the app (with its database connection)');
  return byConnection.get(conn) ?? bindEvalRuntime(conn, evalRuntimeOnConnection(conn));
}

const leasesByConnection = new WeakMap<Connection, MongoEvalLeaseRepository>();

/** The lease repository of a connection (one per connection: it keeps hints of the newest generations). */
export function evalLeasesOn(conn: Connection): MongoEvalLeaseRepository {
  let repo = leasesByConnection.get(conn);
  if (!repo) leasesByConnection.set(conn, (repo = new MongoEvalLeaseRepository(conn)));
  return repo;
}

/** The runtime's leases, or those of the job context's connection. */
export function evalLeasesFor(ctx: DomainContext, rt: EvalRuntime): MongoEvalLeaseRepository {
  if (rt.leases) return rt.leases;
  const conn = (ctx as DomainContext & { conn?: Connection }).conn;
  if (!conn) throw new Error('evaluation leases need the context of the app (with its database connection)');
  return evalLeasesOn(conn);
}
