/**
 * The local web console as a process module: served by the web role at /console, on by
 * default outside production, off in production unless CONSOLE_ENABLED=true (which then
 * requires CONSOLE_AUTH_TOKEN; see config.ts and ./auth.ts).
 */
import type { StewardModule } from '../../server/module';
import { conversationFor, outboxFor } from '../../app/services';
import { consoleAuth } from './auth';
import { CONSOLE_PATH } from './layout';
import { createConsoleRouter } from './router';

export const consoleModule: StewardModule = {
  name: 'console',
  roles: ['web'],
  enabled: (config) => config.console.enabled,
  async start({ config, logger, domain, databaseUp }) {
    const ctx = await domain();
    const { router, feed, close } = createConsoleRouter({
      ctx,
      config,
      logger,
      deliveries: outboxFor(ctx).deliveries,
      conversation: conversationFor(ctx, logger),
      databaseProbe: () => databaseUp(1000),
    });
    logger.info({ path: CONSOLE_PATH, auth: consoleAuth(config).required }, 'web console ready');
    const stop = () => {
      close();
      return feed.closeAll();
    };
    return { routes: [{ path: CONSOLE_PATH, handler: router }], stop };
  },
};
