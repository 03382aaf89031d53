/**
 * Bounded work after the ack. A command is acknowledged at once and its work (identity, claim,
 * conversation, reply) continues afterwards; under a burst that backlog grew without bound
 * (RSS 400-740 MB, acks slowed to seconds behind it; bench/slack.bench.ts). This global Bolt
 * middleware lets at most `limit` requests' work run at once per process; beyond it the person
 * gets "Steward is busy" at once and nothing is started (no identity lookup, no claim, no write),
 * so a retry later is clean.
 *
 * While the event loop is saturated (busy more than `maxLoopUtilization` of the last moments),
 * the bound drops to `floor`: acks share the loop with the work, and Slack gives up on an ack
 * after 3 s. Measured with 64 clients sending as fast as they are answered (bench:slack), a fixed
 * bound of 64 let the work take most of the CPU: 135-168 commands/s accepted, but acks (busy
 * ones included) at 0.39-0.42 of a bare Bolt app's rate; a bound of 4 gave 73 accepted/s and
 * acks at 0.70 of it. At ordinary rates the loop is far from saturated and the full bound applies.
 *
 * How each kind is refused: a command by the ack's ephemeral text; a button by an ephemeral
 * message at its response_url; a form by an error on its first input (the modal stays open
 * with what was typed); events (already acknowledged by Bolt) are dropped.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from 'pino';
import { loopUtilizationMeter, type LoopUtilization } from '../../observability/loopUtilization';
import { metrics } from '../../observability/metrics';
import { tracer } from '../../observability/tracing';
import { noticeBlocks } from './render';
import { responder } from './responseUrl';

export const BUSY_TEXT = 'Steward is busy, try again in a moment.';

/** Events that change which workspaces Steward may use (./listeners/events/appLifecycle.ts). */
const LIFECYCLE_EVENTS = new Set(['app_uninstalled', 'tokens_revoked']);

export interface BusyGate {
  middleware: Middleware<AnyMiddlewareArgs>;
  /** Requests whose work is running now. */
  inFlight(): number;
  readonly limit: number;
}

type Kind = 'command' | 'action' | 'view' | 'event' | 'other';

/** The request body as Bolt parsed it, not yet validated: anything that is not an object reads as empty. */
function bodyOf(args: AnyMiddlewareArgs): Record<string, unknown> {
  return objectOr(args.body);
}

function kindOf(body: Record<string, unknown>): Kind {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'block_actions') return 'action';
  if (body.type === 'view_submission') return 'view';
  if (body.type === 'event_callback') return 'event';
  return 'other';
}

/**
 * The first input block of a submitted modal: where Slack can show the busy text. The body has
 * not been validated yet (the gate runs before the listeners' schemas), so any shape is read:
 * the view's blocks, else the block ids of the submitted state (only input blocks have one).
 */
function firstInputBlock(body: Record<string, unknown>): string | undefined {
  const view = objectOr(body.view);
  const blocks = view.blocks;
  if (Array.isArray(blocks)) {
    for (const b of blocks as unknown[]) {
      const { type, block_id: id } = objectOr(b);
      if (type === 'input' && typeof id === 'string' && id !== '') return id;
    }
  }
  return Object.keys(objectOr(objectOr(view.state).values)).find((id) => id !== '');
}

function objectOr(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export interface BusyGateOptions {
  limit: number;
  /** The bound while the event loop is saturated; default min(4, limit). */
  floor?: number;
  /** Share of time the loop may be busy before the floor applies; default 0.8. */
  maxLoopUtilization?: number;
  /** Where that share is read (tests pass their own); default ../../observability/loopUtilization. */
  loopUtilization?: LoopUtilization;
  logger: Pick<Logger, 'warn' | 'debug'>;
}

export const DEFAULT_BUSY_FLOOR = 4;
export const DEFAULT_MAX_LOOP_UTILIZATION = 0.8;

export function createBusyGate(opts: BusyGateOptions): BusyGate {
  const floor = Math.min(opts.floor ?? DEFAULT_BUSY_FLOOR, opts.limit);
  const maxUtilization = opts.maxLoopUtilization ?? DEFAULT_MAX_LOOP_UTILIZATION;
  const utilization = opts.loopUtilization ?? loopUtilizationMeter();
  let inFlight = 0;
  /** At the floor a request is refused only when the loop is saturated (read only then: it is cheap, not free). */
  const full = () => inFlight >= opts.limit || (inFlight >= floor && maxUtilization < 1 && utilization() > maxUtilization);
  let refusedSinceWarn = 0;
  let lastWarn = 0;

  const refuse = async (args: AnyMiddlewareArgs & { ack?: (r?: unknown) => Promise<void> }, kind: Kind) => {
    metrics.slackBusy.inc({ kind });
    const body = bodyOf(args);
    refusedSinceWarn++;
    // One warning per 10 s under overload, not one per request.
    if (Date.now() - lastWarn > 10_000) {
      opts.logger.warn({ limit: opts.limit, floor, inFlight, refused: refusedSinceWarn }, 'slack: work in flight at its limit (or the event loop saturated); answering "Steward is busy"');
      lastWarn = Date.now();
      refusedSinceWarn = 0;
    }
    if (kind === 'command') return args.ack?.({ response_type: 'ephemeral', text: BUSY_TEXT });
    if (kind === 'view') {
      const block = firstInputBlock(body);
      return args.ack?.(block ? { response_action: 'errors', errors: { [block]: BUSY_TEXT } } : undefined);
    }
    await args.ack?.();
    const url = typeof body.response_url === 'string' ? body.response_url : undefined;
    if (kind === 'action' && url) {
      await responder(url)({ response_type: 'ephemeral', replace_original: false, ...noticeBlocks(BUSY_TEXT) }).catch((err: unknown) =>
        opts.logger.debug({ err }, 'slack: the busy notice could not be posted'),
      );
    }
  };

  const middleware: Middleware<AnyMiddlewareArgs> = async (args) => {
    const body = bodyOf(args);
    const kind = kindOf(body);
    // Never dropped, even at the limit: Slack does not send them again once acknowledged, and
    // losing one would keep using a workspace's revoked tokens. They are few and cheap.
    if (kind === 'event' && LIFECYCLE_EVENTS.has(String(objectOr(body.event).type))) return args.next();
    if (full()) return refuse(args as never, kind);
    inFlight++;
    metrics.slackInFlight.inc();
    try {
      // Bolt's next() returns once the listener is done, the work after its ack included.
      await tracer.inSpan(`slack.${kind}`, { 'steward.slack.kind': kind }, () => args.next());
    } finally {
      inFlight--;
      metrics.slackInFlight.dec();
    }
  };

  return { middleware, inFlight: () => inFlight, limit: opts.limit };
}
