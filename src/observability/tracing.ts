/**
 * OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Otherwise neither the SDK
 * nor the exporter is even loaded (they are required inside enableTracing; the no-op
 * @opentelemetry/api facade is prom-client's) and every call below is a branch on `undefined`:
 * no cost for the many deployments that do not trace.
 *
 * Spans: one SERVER span per HTTP request (named by route pattern once answered), the work a
 * Slack request continues after its ack, each outbox delivery, each scheduled job run. Each
 * carries `steward.request_id`, so a trace and the log lines of one user action meet.
 * The exporter is OTLP over HTTP (JSON), configured by the standard OTEL_* variables.
 */
import type { Logger } from 'pino';
import { currentRequestId } from './requestContext';

export interface ServerSpan {
  /** Runs the request's handlers with this span active (children attach to it). */
  run(fn: () => void): void;
  end(route: string, status: number): void;
}

interface Backend {
  startServerSpan(method: string, url: string, requestId: string): ServerSpan;
  inSpan<T>(name: string, attributes: Record<string, string | number | boolean | undefined>, fn: () => Promise<T>): Promise<T>;
  shutdown(): Promise<void>;
}

let backend: Backend | undefined;

export const tracer = {
  get enabled(): boolean {
    return backend !== undefined;
  },
  startServerSpan(method: string, url: string, requestId: string): ServerSpan | undefined {
    return backend?.startServerSpan(method, url, requestId);
  },
  /** Runs `fn` in a child span of the active one (a root span when none is). */
  inSpan<T>(name: string, attributes: Record<string, string | number | boolean | undefined>, fn: () => Promise<T>): Promise<T> {
    return backend ? backend.inSpan(name, attributes, fn) : fn();
  },
};

/**
 * Starts exporting spans to `endpoint` (the OTLP base URL; /v1/traces is appended, as the
 * OTEL_EXPORTER_OTLP_ENDPOINT convention says). Idempotent; returns a flush-and-stop function.
 */
export function enableTracing(opts: { endpoint: string; serviceName?: string; logger: Pick<Logger, 'info' | 'warn'> }): () => Promise<void> {
  if (backend) return () => backend!.shutdown();
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const url = `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName ?? 'steward' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 1000 })],
  });
  // Installs the AsyncLocalStorage context manager: a span stays active across awaits.
  provider.register();
  const t = provider.getTracer('steward');

  const clean = (a: Record<string, string | number | boolean | undefined>) =>
    Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;

  backend = {
    startServerSpan(method, url, requestId) {
      const span = t.startSpan(`${method}`, {
        kind: api.SpanKind.SERVER,
        attributes: { 'http.request.method': method, 'url.path': url.split('?')[0] ?? '', 'steward.request_id': requestId },
      });
      const ctx = api.trace.setSpan(api.context.active(), span);
      return {
        run: (fn) => api.context.with(ctx, fn),
        end: (route, status) => {
          span.updateName(`${method} ${route}`);
          span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
          if (status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    inSpan(name, attributes, fn) {
      return t.startActiveSpan(name, { attributes: clean({ 'steward.request_id': currentRequestId(), ...attributes }) }, async (span) => {
        try {
          return await fn();
        } catch (e) {
          span.recordException(e instanceof Error ? e : String(e));
          span.setStatus({ code: api.SpanStatusCode.ERROR });
          throw e;
        } finally {
          span.end();
        }
      });
    },
    shutdown: async () => {
      backend = undefined;
      await provider.shutdown();
      api.trace.disable();
      api.context.disable();
    },
  };
  opts.logger.info({ endpoint: url }, 'tracing: exporting spans over OTLP/HTTP');
  return () => backend?.shutdown() ?? Promise.resolve();
}
