/**
 * What every HTTP request goes through first: its request id (an incoming X-Request-Id when it
 * is well-formed, else a new UUID; echoed in the answer), the one log line once it is answered
 * (written at the answer), the metrics by route pattern, and, when tracing is on, a server span. The rest of
 * the request's work runs inside the id's AsyncLocalStorage context (./requestContext.ts), so
 * work continuing after the answer (Slack's ack) still carries it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
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
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    (req as Request & { id?: string }).id = requestId;
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
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
      // The one compact line per request. Written here rather than by pino-http, whose two child
      // loggers per request were 7-10 % of the CPU a Slack ack costs (bench:slack profiles); the
      // fields are the ones it wrote. Headers stay out of the log (tokens, cookies).
      const line = { reqId: requestId, req: { method: req.method, path }, res: { status }, ms: Math.round(seconds * 1000) };
      if (status >= 500) logger.error(line, 'request failed');
      else if (QUIET.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    // A client that went away before the answer: said once, like any other request.
    res.once('close', () => {
      if (!res.writableFinished) logger.info({ reqId: requestId, req: { method: req.method, path } }, 'request aborted');
    });
    withRequestId(requestId, () => (span ? span.run(next) : next()));
  };
}

/** Bot Framework activity types a label may take (anything else is 'other'). */
const ACTIVITY_TYPES = new Set(['message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'event', 'typing']);
