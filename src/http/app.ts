/**
 * The one express app. Order matters:
 *   1. request id + log line + metrics (src/observability), health endpoints, /metrics
 *   2. mounted routers (Slack, Teams, console, REST API), in the order given
 *   3. JSON 404, then the error middleware
 * No global body parser: Slack verifies signatures over the raw body, so each mounted router
 * parses its own body.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from './errors';
import { healthRouter, type ReadinessCheck } from './health';
import { requestObservability } from '../observability/httpObservability';
import { METRICS_PATH } from '../observability/metricsEndpoint';

export interface Mount {
  /** Path prefix, e.g. `/slack/events`, `/api/messages`, `/console`, `/api`. */
  path: string;
  handler: RequestHandler;
}

export interface HttpAppDeps {
  logger: Logger;
  readiness: ReadinessCheck;
  mounts?: Mount[];
  /** GET /metrics on this app (absent: not served here; see config.metrics). */
  metrics?: RequestHandler;
}

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestObservability(deps.logger));
  app.use(healthRouter(deps.readiness));
  if (deps.metrics) app.get(METRICS_PATH, deps.metrics);
  for (const m of deps.mounts ?? []) app.use(m.path, m.handler);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
