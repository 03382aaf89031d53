/**
 * Everything an evaluation run needs besides the DomainContext: where runs are stored, the
 * queue, the suites and thresholds, and the per-endpoint limiters. One runtime per database
 * connection; the scheduler jobs find it from the context they are given (see evalRuntimeFor).
 */
import type { Connection } from 'mongoose';
import type { EvalThresholds } from '../../domain/evals/types';
import type { DomainContext, EvalRunRepository } from '../../domain/ports';
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
   * How long a run may wait for a busy endpoint before it takes the endpoint over, on the view
   * that the holder crashed without releasing it (claims have no expiry). Default 3 hours.
   */
  staleEndpointAfterMs?: number;
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
}

export const DEFAULT_ENDPOINT_BUSY_RETRY_MS = 60_000;
export const DEFAULT_STALE_ENDPOINT_AFTER_MS = 3 * 60 * 60_000;

export function createEvalRuntime(deps: { evalRuns: EvalRunRepository; queue: EvalQueue }, opts: EvalRuntimeOptions = {}): EvalRuntime {
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
  };
}

/** The default runtime on a connection: runs in eval_runs, the queue in Agenda's collection. */
export function evalRuntimeOnConnection(conn: Connection, opts: EvalRuntimeOptions = {}): EvalRuntime {
  const db = conn.db;
  if (!db) throw new Error('the database connection is not open');
  return createEvalRuntime({ evalRuns: new MongoEvalRunRepository(conn), queue: agendaEvalQueue(db) }, opts);
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
