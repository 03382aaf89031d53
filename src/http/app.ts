/**
 * The one express app. Order matters:
 *   1. request log, health endpoints
 *   2. mounted routers (Slack, Teams, console, REST API), in the order given
 *   3. JSON 404, then the error middleware
 * No global body parser: Slack verifies signatures over the raw body, so each mounted router
 * parses its own body.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from './errors';
import { healthRouter, type ReadinessCheck } from './health';

export interface Mount {
  /** Path prefix, e.g. `/slack/events`, `/api/messages`, `/console`, `/api`. */
  path: string;
  handler: RequestHandler;
}

export interface HttpAppDeps {
  logger: Logger;
  readiness: ReadinessCheck;
  mounts?: Mount[];
}

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger));
  app.use(healthRouter(deps.readiness));
  for (const m of deps.mounts ?? []) app.use(m.path, m.handler);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}

const QUIET = new Set(['/healthz', '/readyz']);

/** One line per request once it is answered; probes only at debug level. */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms) };
      if (QUIET.has(line.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
