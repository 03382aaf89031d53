/**
 * How a feature plugs into the process. A module says which roles run it, whether this
 * configuration enables it, and what it contributes when started: HTTP routes (web role) and a
 * stop hook (called on shutdown after in-flight requests finish, before the database closes).
 *
 * To add a module: write `src/<area>/<area>.module.ts` exporting a StewardModule, and add it to
 * the list in src/server/modules.ts. Nothing else in the composition root changes.
 */
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { AppContext } from '../app/context';
import type { Config } from '../config';

export type StopHook = () => Promise<void> | void;

export interface ModuleContext {
  config: Config;
  /** A child logger tagged with the module name. */
  logger: Logger;
  /** The process's one database connection. */
  conn: Connection;
  /** The domain context (repositories, policy, clock, events, audit), built once and shared. */
  domain(): Promise<AppContext>;
  /** Registers something to stop on shutdown (runs in reverse registration order). */
  onStop(hook: StopHook): void;
  /** Whether the database answers a ping within `timeoutMs` now. */
  databaseUp(timeoutMs: number): Promise<boolean>;
}

export interface ModuleRoute {
  /** Path prefix, e.g. `/slack/events`. */
  path: string;
  handler: RequestHandler;
}

export interface StartedModule {
  /** Mounted only when the process serves the web role, before the 404 handler. */
  routes?: ModuleRoute[];
  stop?: StopHook;
  /**
   * Part of /readyz: null when this module works, else a short reason ("outbox dispatcher:
   * no pass finished for 95 s"). A worker's scheduler and dispatcher report here.
   */
  ready?: () => string | null | Promise<string | null>;
}

export interface StewardModule {
  name: string;
  /** `web`: serves HTTP routes (Slack, Teams, console, API). `worker`: background jobs (Agenda). */
  roles: ReadonlyArray<'web' | 'worker'>;
  /** Defaults to enabled; e.g. Slack returns `config.slack.enabled`. */
  enabled?(config: Config): boolean;
  start(ctx: ModuleContext): Promise<StartedModule | void> | StartedModule | void;
}
