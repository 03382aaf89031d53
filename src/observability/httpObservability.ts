/**
 * What every HTTP request goes through first: its request id (an incoming X-Request-Id when it
 * is well-formed, else a new UUID; echoed in the answer), the one log line once it is answered
 * (pino-http), the metrics by route pattern, and, when tracing is on, a server span. The rest of
 * the request's work runs inside the id's AsyncLocalStorage context (./requestContext.ts), so
 * work continuing after the answer (Slack's ack) still carries it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { metrics } from './metrics';
import { REQUEST_ID_PATTERN, withRequestId } from './requestContext';
import { tracer } from './tracing';

/** Probes and scrapes are logged at debug level only: they come every few seconds. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

export const REQUEST_ID_HEADER = 'x-request-id';

function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}

/**
 * The route pattern that answered (`/console/use-cases/:key`), never the raw path: labels must
 * stay a small set. express leaves req.baseUrl and req.route in place once the answer is sent.
 */
export function routeLabel(req: Request, status: number): string {
  const pattern = req.route?.path;
  const route = `${req.baseUrl ?? ''}${typeof pattern === 'string' ? pattern : pattern ? '(pattern)' : ''}`;
  if (route) return route.length > 1 ? route.replace(/\/$/, '') : route;
  const path = req.originalUrl.split('?')[0] ?? '';
  if (QUIET.has(path)) return path;
  return status === 404 ? 'unmatched' : 'other';
}

export function requestObservability(logger: Logger): RequestHandler {
  const log = pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'reqId', responseTime: 'ms' },
    // The compact line Steward always wrote; headers stay out of the log (tokens, cookies).
    serializers: {
      req: (r: { method?: string; url?: string }) => ({ method: r.method, path: (r.url ?? '').split('?')[0] }),
      res: (r: { statusCode?: number }) => ({ status: r.statusCode }),
    },
    customLogLevel: (req, res, err) => (err || res.statusCode >= 500 ? 'error' : QUIET.has((req.url ?? '').split('?')[0] ?? '') ? 'debug' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    quietReqLogger: true,
  });

  return (req, res, next) => {
    const started = process.hrtime.bigint();
    log(req, res);
    const requestId = String(req.id);
    const span = tracer.startServerSpan(req.method, req.originalUrl, requestId);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      const route = routeLabel(req, status);
      const labels = { method: req.method, route, status: String(status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      if (route === '/slack/events') metrics.slackAck.observe({ status: String(status) }, seconds);
      else if (route === '/api/messages') {
        const type = (req.body as { type?: unknown } | undefined)?.type;
        metrics.teamsActivity.observe({ type: typeof type === 'string' && ACTIVITY_TYPES.has(type) ? type : 'other', status: String(status) }, seconds);
      }
      span?.end(route, status);
    });
    withRequestId(requestId, () => (span ? span.run(next) : next()));
  };
}

/** Bot Framework activity types a label may take (anything else is 'other'). */
const ACTIVITY_TYPES = new Set(['message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'event', 'typing']);
