/**
 * Bounded work after the ack. A command is acknowledged at once and its work (identity, claim,
 * conversation, reply) continues afterwards; under a burst that backlog grew without bound
 * (RSS 400-740 MB, acks slowed to seconds behind it; bench/slack.bench.ts). This global Bolt
 * middleware lets at most `limit` requests' work run at once per process; beyond it the person
 * gets "Steward is busy" at once and nothing is started (no identity lookup, no claim, no write),
 * so a retry later is clean.
 *
 * How each kind is refused: a command by the ack's ephemeral text; a button by an ephemeral
 * message at its response_url; a form by an error on its first input (the modal stays open
 * with what was typed); events (already acknowledged by Bolt) are dropped.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from 'pino';
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

function kindOf(body: Record<string, unknown>): Kind {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'block_actions') return 'action';
  if (body.type === 'view_submission') return 'view';
  if (body.type === 'event_callback') return 'event';
  return 'other';
}

/** The first input block of a submitted modal: where Slack can show the busy text. */
function firstInputBlock(body: Record<string, unknown>): string | undefined {
  const blocks = (body.view as { blocks?: Array<{ type?: string; block_id?: string }> } | undefined)?.blocks ?? [];
  return blocks.find((b) => b.type === 'input' && b.block_id)?.block_id;
}

export function createBusyGate(opts: { limit: number; logger: Pick<Logger, 'warn' | 'debug'> }): BusyGate {
  let inFlight = 0;
  let refusedSinceWarn = 0;
  let lastWarn = 0;

  const refuse = async (args: AnyMiddlewareArgs & { ack?: (r?: unknown) => Promise<void> }, kind: Kind) => {
    metrics.slackBusy.inc({ kind });
    const body = args.body as unknown as Record<string, unknown>;
    refusedSinceWarn++;
    // One warning per 10 s under overload, not one per request.
    if (Date.now() - lastWarn > 10_000) {
      opts.logger.warn({ limit: opts.limit, refused: refusedSinceWarn }, 'slack: work in flight at its limit; answering "Steward is busy"');
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
    const body = args.body as unknown as Record<string, unknown>;
    const kind = kindOf(body);
    // Never dropped, even at the limit: Slack does not send them again once acknowledged, and
    // losing one would keep using a workspace's revoked tokens. They are few and cheap.
    if (kind === 'event' && LIFECYCLE_EVENTS.has(String((body.event as { type?: unknown } | undefined)?.type))) return args.next();
    if (inFlight >= opts.limit) return refuse(args as never, kind);
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
