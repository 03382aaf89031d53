/**
 * The Slack channel as a process module. On the web role it serves POST /slack/events (or
 * connects Socket Mode); on every role it registers its notifier with the outbox, so a
 * worker-only process can still deliver reminders to Slack.
 */
import { conversationFor, outboxFor } from '../../app/services';
import type { StewardModule } from '../../server/module';
import { runsWeb } from '../../config';
import { createSlackChannel } from '.';

export const slackModule: StewardModule = {
  name: 'slack',
  roles: ['web', 'worker'],
  enabled: (config) => config.slack.enabled,
  async start({ config, logger, domain }) {
    const ctx = await domain();
    const channel = createSlackChannel({ ctx, conversation: conversationFor(ctx, logger), config: { ...config.slack, proxy: config.proxy }, logger, maxInFlight: config.slackMaxInFlight, busy: config.slackBusy });
    outboxFor(ctx).notifier.register('slack', channel.notifier);
    // The channel keeps every approver's copy of an approval request right (./approvalCopies.ts).
    const stop = () => channel.stop();
    if (!runsWeb(config.role)) return { stop };
    await channel.start();
    return { routes: [{ path: '/', handler: channel.router }], stop };
  },
};
