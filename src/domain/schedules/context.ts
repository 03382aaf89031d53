/**
 * What a scheduled operation receives: the DomainContext plus the notification outbox. The
 * outbox is a port of its own (not in `Repositories`), so it travels beside the context.
 */
import type { DeliveryRepository, DomainContext, OutboundMessage } from '../ports';

export interface ScheduleContext extends DomainContext {
  deliveries: DeliveryRepository;
}

/** A neutral card the conversation layer can render (a subset of its Card: title, text, fields). */
export interface NoticeCard {
  title: string;
  text: string;
  fields?: { label: string; value: string }[];
}

export const notice = (title: string, text: string, fields?: NoticeCard['fields']): NoticeCard =>
  fields?.length ? { title, text, fields } : { title, text };

/**
 * Queues messages under their deterministic keys; returns how many were new. Re-running a sweep
 * queues the same keys again, which the outbox ignores: that is what makes sweeps idempotent.
 */
export async function enqueueAll(ctx: ScheduleContext, messages: OutboundMessage[]): Promise<number> {
  return messages.length ? ctx.deliveries.enqueueMany(messages, ctx.clock.now()) : 0;
}
