/**
 * Subscribes the outbox to the domain's events: messages are queued (never sent inline: the
 * dispatcher sends, with retries) under deterministic keys, so an event replayed by the reaction
 * sweep queues nothing twice. (Review rescheduling is a domain reaction: src/domain/records/react.ts.)
 */
import type { DomainEvent } from '../domain/events';
import type { DeliveryRepository, DomainContext } from '../domain/ports';
import { messagesForEvent } from './eventMessages';

export interface RouteEventsOptions {
  /** Called with anything a handler threw (the bus swallows errors by design). */
  onError?: (err: unknown, event: DomainEvent) => void;
}

/** Starts routing; returns the unsubscribe function. */
export function routeEvents(ctx: DomainContext, deliveries: DeliveryRepository, opts: RouteEventsOptions = {}): () => void {
  return ctx.events.on(async (event) => {
    try {
      await deliveries.enqueueMany(await messagesForEvent(ctx, event), ctx.clock.now());
    } catch (err) {
      opts.onError?.(err, event);
      throw err;
    }
  });
}
