/**
 * Every feature module of the process, started in this order (stopped in reverse). Each one
 * declares its roles and when it is enabled (see ./module.ts). Add new modules here.
 */
import { consoleModule } from '../channels/console/console.module';
import type { StewardModule } from './module';

export const modules: StewardModule[] = [
  // Order: providers before consumers; a longer path before its prefix (/api/messages before
  // /api), since express tries mounts in order. Expected entries, as they land:
  //   seed demo data (STEWARD_SEED_DEMO)     roles: web, worker
  //   Slack (Bolt)        /slack/events      role: web     enabled: config.slack.enabled
  //   Teams (botbuilder)  /api/messages      role: web     enabled: config.teams.enabled
  //   REST API            /api               role: web
  //   web console         /console           role: web     enabled: config.console.enabled
  //   scheduler (Agenda)                     role: worker
  consoleModule,
];
