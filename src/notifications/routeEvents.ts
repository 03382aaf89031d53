/**
 * Subscribes the outbox and the review schedule to the domain's events: messages are queued
 * (never sent inline: the dispatcher sends, with retries), a tier change reschedules the open
 * review, and a completed review schedules the next one.
 */
import type { DomainEvent } from '../domain/events';
import type { DeliveryRepository, DomainContext } from '../domain/ports';
import { rescheduleReview, scheduleNextReview } from '../domain/schedules/ensureReview';
import { messagesForEvent } from './eventMessages';

export interface RouteEventsOptions {
  /** Called with anything a handler threw (the bus swallows errors by design). */
  onError?: (err: unknown, event: DomainEvent) => void;
}

/** Starts routing; returns the unsubscribe function. */
export function routeEvents(ctx: DomainContext, deliveries: DeliveryRepository, opts: RouteEventsOptions = {}): () => void {
  const sctx = { ...ctx, deliveries };
  return ctx.events.on(async (event) => {
    try {
      if (event.type === 'usecase.tier_changed') await rescheduleReview(sctx, { useCaseKey: event.useCaseKey });
      if (event.type === 'review.completed') await scheduleNextReview(sctx, { useCaseKey: event.useCaseKey, dueAt: event.nextDueAt });
      await deliveries.enqueueMany(await messagesForEvent(ctx, event), ctx.clock.now());
    } catch (err) {
      opts.onError?.(err, event);
      throw err;
    }
  });
}
