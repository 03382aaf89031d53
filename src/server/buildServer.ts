/**
 * The process without the process: connects the database, starts the modules of this role,
 * serves HTTP, and stops all of it in order. main.ts adds signals and exit codes; tests call
 * this directly (port 0, their own database) to exercise the real server in-process.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { AppContext } from '../app/context';
import { type Config, runsWeb, runsWorker } from '../config';
import { createHttpApp, type Mount } from '../http/app';
import { silentLogger } from '../logger';
import { listenMetrics, metricsHandler } from '../observability/metricsEndpoint';
import { createServerMetrics } from '../observability/serverMetrics';
import { setSwallowedErrorLogger } from '../observability/swallowed';
import { enableTracing } from '../observability/tracing';
import { connectDatabase, pingDatabase } from '../store/connection';
import type { StewardModule, StopHook } from './module';

export interface ServerDeps {
  logger?: Logger;
  modules?: StewardModule[];
  /** An open connection to use (and not close); otherwise one is opened from config.mongodb. */
  conn?: Connection;
  /** Builds the shared domain context on the connection (main.ts wires repositories + playbooks). */
  buildDomain?: (conn: Connection) => Promise<AppContext>;
}

export interface RunningServer {
  url: string;
  port: number;
  http: Server;
  conn: Connection;
  /** The port /metrics is served on when METRICS_PORT is set (port 0 there picks a free one). */
  metricsPort?: number;
  /** Stops accepting, lets in-flight requests finish (up to drainMs), runs stop hooks, closes the DB. */
  stop(opts?: { drainMs?: number }): Promise<void>;
}

export async function buildServer(config: Config, deps: ServerDeps = {}): Promise<RunningServer> {
  const logger = deps.logger ?? silentLogger;
  const ownsConn = !deps.conn;
  let conn = deps.conn;
  if (!conn) {
    if (!config.mongodb.uri) throw new Error('MONGODB_URI: no database to connect to');
    conn = await connectDatabase({ uri: config.mongodb.uri, dbName: config.mongodb.dbName });
  }
  const db = conn;

  const hooks: Array<{ name: string; hook: StopHook }> = [];
  const readyChecks: Array<{ name: string; ready: () => string | null | Promise<string | null> }> = [];
  setSwallowedErrorLogger(logger);
  // Loaded only when configured: without an endpoint nothing of OpenTelemetry is required.
  if (config.otlpEndpoint) hooks.push({ name: 'tracing', hook: enableTracing({ endpoint: config.otlpEndpoint, logger }) });
  const serverMetrics = createServerMetrics(db);
  hooks.push({ name: 'metrics', hook: () => serverMetrics.close() });
  let stopping = false;
  let domain: Promise<AppContext> | undefined;
  const mounts: Mount[] = [];

  const closeDb = async () => {
    if (ownsConn) await db.close().catch((e: unknown) => logger.warn({ err: e }, 'closing the database failed'));
  };

  try {
    for (const mod of deps.modules ?? []) {
      const wanted = mod.roles.some((r) => (r === 'web' ? runsWeb(config.role) : runsWorker(config.role)));
      if (!wanted || (mod.enabled && !mod.enabled(config))) continue;
      const started = await mod.start({
        config,
        conn: db,
        logger: logger.child({ module: mod.name }),
        domain: () => {
          if (!deps.buildDomain) return Promise.reject(new Error('buildServer: no buildDomain given'));
          return (domain ??= deps.buildDomain(db));
        },
        onStop: (hook) => hooks.push({ name: mod.name, hook }),
        databaseUp: async (timeoutMs) => (await pingDatabase(db, timeoutMs)) === null,
      });
      if (started?.stop) hooks.push({ name: mod.name, hook: started.stop });
      if (started?.ready) readyChecks.push({ name: mod.name, ready: started.ready });
      if (started?.routes && runsWeb(config.role)) {
        for (const r of started.routes) mounts.push({ path: r.path, handler: r.handler });
      }
      logger.info({ module: mod.name, routes: started?.routes?.map((r) => r.path) }, 'module started');
    }
  } catch (e) {
    await runStopHooks(hooks, logger);
    await closeDb();
    throw e;
  }

  // A worker serves only the health endpoints (and /metrics), so orchestrators probe it the same way.
  const metrics = metricsHandler({ ...(config.metrics.token ? { token: config.metrics.token } : {}), server: serverMetrics });
  const app = createHttpApp({
    logger,
    mounts,
    ...(config.metrics.onPublicPort ? { metrics } : {}),
    readiness: async () => {
      if (stopping) return 'shutting down';
      const reason = await pingDatabase(db);
      if (reason !== null) return `database: ${reason}`;
      // A worker whose scheduler or dispatcher stopped working is not ready either.
      for (const c of readyChecks) {
        const r = await c.ready();
        if (r !== null) return r;
      }
      return null;
    },
  });
  let metricsPort: number | undefined;
  if (config.metrics.port !== undefined) {
    const metricsServer = await listenMetrics(metrics, config.metrics.port, config.host).catch(async (e: unknown) => {
      await runStopHooks(hooks, logger);
      await closeDb();
      throw e;
    });
    hooks.unshift({ name: 'metrics-port', hook: () => closeHttp(metricsServer, 1000) });
    metricsPort = (metricsServer.address() as AddressInfo).port;
    logger.info({ port: metricsPort }, 'metrics served on their own port');
  }

  const http = await listen(app, config.port, config.host).catch(async (e: unknown) => {
    await runStopHooks(hooks, logger);
    await closeDb();
    throw e;
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

  let stopped: Promise<void> | undefined;
  const stop = (opts: { drainMs?: number } = {}) =>
    (stopped ??= (async () => {
      stopping = true;
      await closeHttp(http, opts.drainMs ?? 8000);
      await runStopHooks(hooks, logger);
      await closeDb();
      logger.info('stopped');
    })());

  return { url, port, http, conn: db, stop, ...(metricsPort !== undefined ? { metricsPort } : {}) };
}

function listen(app: ReturnType<typeof createHttpApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Stops accepting; waits for in-flight requests; after drainMs, cuts whatever is left. */
function closeHttp(server: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), drainMs);
    // A keep-alive socket whose request just finished would hold close() open until its
    // keep-alive timeout; close sockets as soon as they go idle.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(deadline);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Last started, first stopped: a module may depend on one started before it. */
async function runStopHooks(hooks: Array<{ name: string; hook: StopHook }>, logger: Logger): Promise<void> {
  for (const { name, hook } of [...hooks].reverse()) {
    try {
      await hook();
    } catch (err) {
      logger.error({ module: name, err }, 'stop hook failed');
    }
  }
}
