/**
 * Every feature module of the process, started in this order (stopped in reverse). Each one
 * declares its roles and when it is enabled (see ./module.ts). Add new modules here.
 *
 * Order: providers before consumers (the demo data before anything reads it; the chat
 * channels register their notifiers before the worker starts sending); a longer path before
 * its prefix, since express tries mounts in order.
 */
import { seedModule } from '../app/seed.module';
import { consoleModule } from '../channels/console/console.module';
import { legalPagesModule } from '../app/legalPages.module';
import { slackModule } from '../channels/slack/slack.module';
import { teamsModule } from '../channels/teams/teams.module';
import { evalsModule } from '../evals/evals.module';
import { evidenceModule } from '../evidence/evidence.module';
import { notificationsModule } from '../notifications/notifications.module';
import { schedulerModule } from '../scheduler/scheduler.module';
import type { StewardModule } from './module';

export const modules: StewardModule[] = [
  seedModule, //          demo organisation on an empty database   roles: web, worker   enabled: STEWARD_SEED_DEMO
  notificationsModule, // events -> outbox in a web-only process  role: web            enabled: STEWARD_ROLE=web
  evalsModule, //         eval runtime + `eval run` in chat       roles: web, worker
  evidenceModule, //      `evidence …` in chat + /evidence/download roles: web, worker
  slackModule, //         /slack/events + Slack notifier           roles: web, worker   enabled: config.slack.enabled
  teamsModule(), //       /api/messages + Teams notifier           roles: web, worker   enabled: config.teams.enabled
  consoleModule, //       /console                                 role: web            enabled: config.console.enabled
  legalPagesModule, //    /privacy, /terms (the Teams manifest)    role: web
  schedulerModule, //     Agenda sweeps + outbox dispatcher        role: worker
];
