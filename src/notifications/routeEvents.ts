/**
 * Subscribes the outbox to the domain's events: messages are queued under deterministic keys, so
 * an event replayed by the reaction sweep queues nothing twice. With `sendNow`, the process that
 * made the change also sends them at once, in the background (an approval DM should not wait
 * for the next dispatcher tick); the outbox stays the safety net, and the claim on each attempt
 * keeps the two from sending twice. (Review rescheduling is a domain reaction: src/domain/records/react.ts.)
 */
import type { DomainEvent } from '../domain/events';
import type { DeliveryRepository, DomainContext, OutboundMessage } from '../domain/ports';
import { messagesForEvent } from './eventMessages';

export interface RouteEventsOptions {
  /** Called with anything a handler threw (the bus swallows errors by design). */
  onError?: (err: unknown, event: DomainEvent) => void;
  /** Sends what was just queued (Dispatcher.sendNow); its failures only delay delivery. */
  sendNow?: (messages: OutboundMessage[]) => Promise<unknown>;
}

/** Starts routing; returns the unsubscribe function. */
export function routeEvents(ctx: DomainContext, deliveries: DeliveryRepository, opts: RouteEventsOptions = {}): () => void {
  return ctx.events.on(async (event) => {
    try {
      const messages = await messagesForEvent(ctx, event);
      await deliveries.enqueueMany(messages, ctx.clock.now());
      // Not awaited: the change's own request must not wait on Slack or Teams.
      if (opts.sendNow && messages.length) void opts.sendNow(messages).catch((err) => opts.onError?.(err, event));
    } catch (err) {
      opts.onError?.(err, event);
      throw err;
    }
  });
}
