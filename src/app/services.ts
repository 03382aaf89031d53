/**
 * Process-wide services the modules share, one set per domain context: the conversation every
 * channel talks to, and the outbox (delivery records plus the composite notifier each chat
 * channel registers with). Kept here so a channel module never constructs another's parts.
 */
import type { Logger } from 'pino';
import type { Conversation, HandlerDeps } from '../conversation/handlers';
import { createConversation } from '../conversation/handlers';
import type { DeliveryRepository } from '../domain/ports';
import { CompositeNotifier } from '../notifications/compositeNotifier';
import { createDeliveryRepository } from '../store/deliveries.repo';
import type { AppContext } from './context';

export interface Outbox {
  deliveries: DeliveryRepository;
  /** Slack and Teams register here; the console channel is built in. */
  notifier: CompositeNotifier;
}

const outboxes = new WeakMap<AppContext, Outbox>();
const conversations = new WeakMap<AppContext, Conversation>();
/** Optional conversation features plugged in by modules (e.g. evaluation runs). */
const extras = new WeakMap<AppContext, Partial<Omit<HandlerDeps, 'ctx'>>>();

export function outboxFor(ctx: AppContext): Outbox {
  let o = outboxes.get(ctx);
  if (!o) {
    o = { deliveries: createDeliveryRepository(ctx.conn), notifier: new CompositeNotifier(ctx.repos.people) };
    outboxes.set(ctx, o);
  }
  return o;
}

/** Adds features to the shared conversation; call before the channels start (module order). */
export function extendConversation(ctx: AppContext, deps: Partial<Omit<HandlerDeps, 'ctx'>>): void {
  extras.set(ctx, { ...extras.get(ctx), ...deps });
}

/** The one conversation of this process; features added later are seen on the next call. */
export function conversationFor(ctx: AppContext, logger: Pick<Logger, 'error'>): Conversation {
  let c = conversations.get(ctx);
  if (!c) {
    const live: HandlerDeps = {
      ctx,
      onUnexpectedError: (err) => logger.error({ err }, 'conversation: unexpected error'),
    };
    const base = createConversation(live);
    c = {
      handle: (actor, interaction) => {
        Object.assign(live, extras.get(ctx) ?? {});
        return base.handle(actor, interaction);
      },
    };
    conversations.set(ctx, c);
  }
  return c;
}
