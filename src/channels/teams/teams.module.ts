/**
 * The Teams channel as a feature module: POST /api/messages on the web role when
 * config.teams.enabled. The TeamsNotifier is created here too; registering it with the
 * outbox's CompositeNotifier (`composite.register('teams', channel.notifier)`) belongs to
 * whoever owns that composite, through `onChannel`.
 */
import { conversationFor, outboxFor } from '../../app/services';
import { refreshDecidedCards } from '../../notifications/refreshDecidedCards';
import type { StewardModule } from '../../server/module';
import { createTeamsChannel, TEAMS_MESSAGES_PATH, type TeamsChannel } from '.';

export function teamsModule(onChannel?: (channel: TeamsChannel) => void): StewardModule {
  return {
    name: 'teams',
    // The worker role needs the notifier too (reminders); routes are mounted on web only.
    roles: ['web', 'worker'],
    enabled: (config) => config.teams.enabled,
    async start({ config, logger, domain }) {
      const ctx = await domain();
      const channel = createTeamsChannel({
        ctx,
        conversation: conversationFor(ctx, logger),
        config: config.teams,
        logger,
        production: config.env === 'production',
      });
      outboxFor(ctx).notifier.register('teams', channel.notifier);
      const unsubscribe = ctx.events.on(
        refreshDecidedCards(ctx, (key, card) => channel.notifier.updateMessagesAbout(key, card), (err, key) =>
          logger.warn({ err, approvalKey: key }, 'could not update the Teams copies of a decided approval'),
        ),
      );
      onChannel?.(channel);
      if (channel.anonymous) logger.warn('Teams runs without MicrosoftAppId: requests are not authenticated (development only)');
      return { routes: [{ path: TEAMS_MESSAGES_PATH, handler: channel.handler }], stop: unsubscribe };
    },
  };
}
