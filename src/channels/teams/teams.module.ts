/**
 * The Teams channel as a feature module: POST /api/messages on the web role when
 * config.teams.enabled. The TeamsNotifier is created here too; registering it with the
 * outbox's CompositeNotifier (`composite.register('teams', channel.notifier)`) belongs to
 * whoever owns that composite, through `onChannel`.
 */
import { createConversation } from '../../conversation/handlers';
import type { StewardModule } from '../../server/module';
import { createTeamsChannel, TEAMS_MESSAGES_PATH, type TeamsChannel } from '.';

export function teamsModule(onChannel?: (channel: TeamsChannel) => void): StewardModule {
  return {
    name: 'teams',
    roles: ['web'],
    enabled: (config) => config.teams.enabled,
    async start({ config, logger, domain }) {
      const ctx = await domain();
      const channel = createTeamsChannel({
        ctx,
        conversation: createConversation({ ctx, onUnexpectedError: (err) => logger.error({ err }, 'teams conversation failed') }),
        config: config.teams,
        logger,
        production: config.env === 'production',
      });
      onChannel?.(channel);
      if (channel.anonymous) logger.warn('Teams runs without MicrosoftAppId: requests are not authenticated (development only)');
      return { routes: [{ path: TEAMS_MESSAGES_PATH, handler: channel.handler }] };
    },
  };
}
