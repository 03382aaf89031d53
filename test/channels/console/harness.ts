/**
 * The real server (buildServer on 127.0.0.1, port 0) with only the console module, on this
 * test file's database, with the default playbooks, one person per role, and the outbox
 * subscribed to domain events (as the notifications module does in the process).
 */
import type { AppContext } from '../../../src/app/context';
import { buildContext } from '../../../src/app/context';
import { consoleModule } from '../../../src/channels/console/console.module';
import { type Config, loadConfig } from '../../../src/config';
import { routeEvents } from '../../../src/notifications';
import { loadPolicy } from '../../../src/playbooks';
import { buildServer, type RunningServer } from '../../../src/server/buildServer';
import { createDeliveryRepository } from '../../../src/store/deliveries.repo';
import { useTestDatabase } from '../../support/db';
import { registerTeam, type Team } from '../../support/people';

export interface ConsoleHarness {
  server: RunningServer;
  /** http://127.0.0.1:<port>/console */
  base: string;
  ctx: AppContext;
  team: Team;
}

/** A config as the process would load it from `env`, listening on 127.0.0.1:0 (production needs an audit key). */
export function consoleConfig(env: Record<string, string>): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', AUDIT_SIGNING_KEY: 'console-tests-audit-signing-key-0123456789', ...env }), port: 0, host: '127.0.0.1' };
}

/** The environment, or a function of the registered team (personal tokens name their emails). */
export type HarnessEnv = Record<string, string> | ((team: Team) => Record<string, string>);

export function useConsoleServer(env: HarnessEnv = { NODE_ENV: 'test' }): ConsoleHarness {
  const db = useTestDatabase();
  const h = {} as ConsoleHarness;
  let unroute: () => void = () => undefined;
  beforeAll(async () => {
    h.ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
    unroute = routeEvents(h.ctx, createDeliveryRepository(db.conn));
    h.team = await registerTeam(h.ctx);
    const vars = typeof env === 'function' ? env(h.team) : env;
    const config = consoleConfig({ ...vars, MONGODB_URI: db.uri, MONGODB_DB: db.dbName });
    h.server = await buildServer(config, { conn: db.conn, modules: [consoleModule], buildDomain: async () => h.ctx });
    h.base = `${h.server.url}/console`;
  });
  afterAll(async () => {
    unroute();
    await h.server?.stop({ drainMs: 200 });
  });
  return h;
}

/** POSTs JSON to the console API. */
export async function api(h: ConsoleHarness, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.base}/api/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}
