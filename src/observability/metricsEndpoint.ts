/**
 * GET /metrics in Prometheus's text format: the process registry (./metrics.ts) followed by the
 * server's database-backed figures (./serverMetrics.ts). Protected by METRICS_TOKEN (a bearer
 * token, compared in constant time) and/or served only on METRICS_PORT (see config.ts: in
 * production an unprotected /metrics is never served on the public port).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type RequestHandler } from 'express';
import { registry } from './metrics';
import type { ServerMetrics } from './serverMetrics';

export const METRICS_PATH = '/metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsHandler(opts: { token?: string; server?: ServerMetrics }): RequestHandler {
  const expected = opts.token ? digest(opts.token) : undefined;
  return async (req, res, next) => {
    if (req.method !== 'GET') return next();
    res.set('Cache-Control', 'no-store');
    if (expected) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        res.status(401).json({ error: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' });
        return;
      }
    }
    try {
      const parts = [await registry.metrics()];
      if (opts.server) parts.push(await opts.server.registry.metrics());
      res.set('Content-Type', registry.contentType).send(parts.join('\n'));
    } catch (e) {
      next(e);
    }
  };
}

/** A listener that serves only /metrics (METRICS_PORT), for scrapers on a private network. */
export function listenMetrics(handler: RequestHandler, port: number, host: string): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.get(METRICS_PATH, handler);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: `only ${METRICS_PATH} is served on this port` });
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
