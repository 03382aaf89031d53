/**
 * Routes domain events into the outbox in a web-only process. Where the worker runs in the
 * same process (role `all` or `worker`), the worker does the routing and the sending itself
 * (src/scheduler/worker.ts), so this module stays off there to avoid queueing twice.
 */
import { outboxFor } from '../app/services';
import type { StewardModule } from '../server/module';
import { Dispatcher } from './dispatcher';
import { routeEvents } from './routeEvents';

export const notificationsModule: StewardModule = {
  name: 'notifications',
  roles: ['web'],
  enabled: (config) => config.role === 'web',
  async start({ domain, logger }) {
    const ctx = await domain();
    const outbox = outboxFor(ctx);
    // Sends right after queueing, from this process; the worker's dispatcher is the safety net.
    const dispatcher = new Dispatcher({ deliveries: outbox.deliveries, clock: ctx.clock, router: outbox.notifier });
    const unsubscribe = routeEvents(ctx, outbox.deliveries, {
      onError: (err, event) => logger.error({ err, event: event.type }, 'could not queue the notifications of an event'),
      sendNow: (messages) => dispatcher.sendNow(messages),
    });
    return { stop: unsubscribe };
  },
};
