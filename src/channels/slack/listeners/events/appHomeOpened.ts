/**
 * app_home_opened: publish the Home tab. Publishing is idempotent, so a retried event simply
 * publishes again; the Messages tab opening needs nothing.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { publishHome } from '../../home';
import { slackActor } from '../../identity';

export const appHomeOpened =
  (deps: SlackDeps) =>
  async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      const actor = await slackActor(deps.ctx, client, event.user, deps.logger, deps.actors);
      await publishHome(deps, client, event.user, actor);
    } catch (e) {
      deps.logger.error({ err: e }, 'slack app home publish failed');
    }
  };
