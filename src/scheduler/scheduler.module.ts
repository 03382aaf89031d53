/**
 * The Agenda worker as a process module (role `worker`, or `all`): scheduled sweeps, the event
 * routing of this process and the outbox dispatcher, sending through the channels registered
 * with the shared outbox by the Slack and Teams modules.
 */
import { outboxFor } from '../app/services';
import type { StewardModule } from '../server/module';
import { shutdownDeadlines } from '../server/shutdownDeadlines';
import { startWorker } from './worker';

export const schedulerModule: StewardModule = {
  name: 'scheduler',
  roles: ['worker'],
  async start({ config, domain, logger }) {
    const ctx = await domain();
    const outbox = outboxFor(ctx);
    // Jobs get what is left of the grace period once HTTP has drained (src/server/shutdownDeadlines.ts).
    const drainTimeoutMs = shutdownDeadlines(config.shutdownGraceSeconds).jobsDrainMs;
    const worker = await startWorker(ctx, { router: outbox.notifier, deliveries: outbox.deliveries, logger, drainTimeoutMs, retention: config.retention });
    return { stop: () => worker.stop(), ready: () => worker.health() };
  },
};
