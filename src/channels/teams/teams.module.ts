/**
 * The Teams channel as a feature module: POST /api/messages on the web role when
 * config.teams.enabled. The TeamsNotifier is created here too; registering it with the
 * outbox's CompositeNotifier (`composite.register('teams', channel.notifier)`) belongs to
 * whoever owns that composite, through `onChannel`.
 */
import { conversationFor, outboxFor } from '../../app/services';
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
        allowAnonymous: config.teams.allowAnonymous,
      });
      outboxFor(ctx).notifier.register('teams', channel.notifier);
      onChannel?.(channel);
      if (channel.anonymous) {
        logger.warn(
          { path: TEAMS_MESSAGES_PATH },
          'TEAMS IS UNAUTHENTICATED (TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING=true, no MicrosoftAppId): anyone who can reach this URL can act as any registered person. Local testing only; never expose this port.',
        );
      }
      return { routes: [{ path: TEAMS_MESSAGES_PATH, handler: channel.handler }], stop: channel.stop };
    },
  };
}
