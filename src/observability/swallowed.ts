/**
 * Errors a component survives on purpose (the event bus's default handler, the database
 * connection's 'error' event, the evaluation queue's Agenda) were dropped without a trace. Each
 * is now logged and counted in steward_swallowed_errors_total{source}, so a rising count shows
 * on a dashboard before anyone wonders why a notification never came.
 */
import type { Logger } from 'pino';
import { metrics } from './metrics';

export type SwallowedSource = 'event_bus' | 'db_connection' | 'eval_queue';

let sink: Pick<Logger, 'error'> | undefined;

/** Where swallowed errors are logged (main.ts sets the process logger; tests may set theirs). */
export function setSwallowedErrorLogger(logger: Pick<Logger, 'error'> | undefined): void {
  sink = logger;
}

export function reportSwallowed(source: SwallowedSource, err: unknown, detail: Record<string, unknown> = {}): void {
  metrics.swallowedErrors.inc({ source });
  sink?.error({ err, source, ...detail }, `error survived (${source.replace('_', ' ')})`);
}
