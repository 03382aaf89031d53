/**
 * pino, JSON lines on stdout. A developer at a terminal gets pino-pretty instead (a dev
 * dependency, so it is only loaded in development). Secrets that could reach a log line through
 * request headers are redacted.
 */
import pino, { type Logger } from 'pino';
import type { LogLevel, NodeEnv } from './config';
import { currentRequestId } from './observability/requestContext';

export type { Logger };

export interface LoggerOptions {
  level: LogLevel;
  env: NodeEnv;
  /** Defaults to "stdout is a terminal". */
  pretty?: boolean;
  /** Where lines go instead of stdout (tests read them back). */
  destination?: pino.DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const pretty = opts.pretty ?? (opts.env === 'development' && process.stdout.isTTY === true);
  return pino({
    level: opts.level,
    base: { service: 'steward' },
    // Every line written while a request's work runs carries its id (src/observability), also
    // after the HTTP answer; the request line (src/observability/httpObservability.ts) names it itself.
    mixin: (_obj, _level, logger) => {
      const reqId = currentRequestId();
      return reqId && !String((logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym] ?? '').includes('"reqId":') ? { reqId } : {};
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.password', '*.token'],
      censor: '[redacted]',
    },
    ...(pretty && !opts.destination ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' } } } : {}),
  }, opts.destination);
}

/** A logger that writes nothing, for tests and tools that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Hides the password in a connection string before it is logged. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
