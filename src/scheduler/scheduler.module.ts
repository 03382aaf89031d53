/**
 * The Agenda worker as a process module (role `worker`, or `all`): scheduled sweeps, the event
 * routing of this process and the outbox dispatcher, sending through the channels registered
 * with the shared outbox by the Slack and Teams modules.
 */
import { outboxFor } from '../app/services';
import type { StewardModule } from '../server/module';
import { startWorker } from './worker';

export const schedulerModule: StewardModule = {
  name: 'scheduler',
  roles: ['worker'],
  async start({ domain, logger }) {
    const ctx = await domain();
    const outbox = outboxFor(ctx);
    const worker = await startWorker(ctx, { router: outbox.notifier, deliveries: outbox.deliveries, logger });
    return { stop: () => worker.stop() };
  },
};
