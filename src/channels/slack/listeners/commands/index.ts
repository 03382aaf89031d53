import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { STEWARD_COMMAND, stewardCommand } from './steward';

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(STEWARD_COMMAND, stewardCommand(deps));
}
