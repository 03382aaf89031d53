/**
 * The console during a database outage: the real server and console module on a connection
 * that goes through a TCP proxy to the real FerretDB; cutting the proxy is the outage. Signed-in
 * requests (whose first step is the person lookup) answer 503 with a message that says what is
 * wrong, as a page for the browser and as JSON for the API; never 500 "internal". Once the
 * outage is known, the next requests answer at once, and the console serves again once the
 * database is back (src/http/outageLatch.ts).
 */
import type mongoose from 'mongoose';
import { buildContext } from '../../../src/app/context';
import type { AppContext } from '../../../src/app/context';
import { consoleModule } from '../../../src/channels/console/console.module';
import { loadPolicy } from '../../../src/playbooks';
import { buildServer, type RunningServer } from '../../../src/server/buildServer';
import { connectDatabase } from '../../../src/store/connection';
import { testDbName } from '../../support/db';
import { registerTeam, type Team } from '../../support/people';
import { startTcpProxy, type TcpProxy } from '../../support/tcpProxy';
import { consoleConfig } from './harness';

let proxy: TcpProxy;
let conn: mongoose.Connection;
let ctx: AppContext;
let team: Team;
let server: RunningServer;
let base: string;
const TOKEN = 'outage-personal-token-0123456789';
const as = { Authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  const real = new URL(process.env.STEWARD_TEST_MONGODB_URI!);
  proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 27017) });
  const viaProxy = new URL(real.toString());
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const dbName = testDbName('outage');
  conn = await connectDatabase({ uri: viaProxy.toString(), dbName, serverSelectionTimeoutMS: 2_000 });
  ctx = await buildContext({ conn, policy: loadPolicy() });
  team = await registerTeam(ctx);
  const config = consoleConfig({
    NODE_ENV: 'production',
    CONSOLE_ENABLED: 'true',
    PUBLIC_URL: 'https://steward.example.com',
    CONSOLE_AUTH_TOKEN: 'outage-shared-token-0123456789',
    CONSOLE_USER_TOKENS: `${team.llm_product_manager!.email}=${TOKEN}`,
    MONGODB_URI: viaProxy.toString(),
    MONGODB_DB: dbName,
  });
  server = await buildServer(config, { conn, modules: [consoleModule], buildDomain: async () => ctx });
  base = `${server.url}/console`;
});

afterAll(async () => {
  proxy?.restore();
  await server?.stop({ drainMs: 200 });
  await conn?.db?.dropDatabase().catch(() => undefined);
  await conn?.close().catch(() => undefined);
  await proxy?.close();
});

it('answers normally while the database is up', async () => {
  const res = await fetch(base, { headers: as });
  expect(res.status).toBe(200);
});

describe('while the database is unreachable', () => {
  beforeAll(() => proxy.cut());
  afterAll(() => proxy.restore());

  it('a page answers 503 with a page that says the database cannot be reached', async () => {
    const started = performance.now();
    const res = await fetch(base, { headers: as });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/html/);
    expect(res.headers.get('retry-after')).toBe('30');
    const html = await res.text();
    expect(html).toContain('cannot reach its database');
    expect(html).not.toMatch(/Mongo|stack|at .*\.ts/);
    // The driver gives up after its server-selection timeout (2 s here, 5 s by default).
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('the API answers 503 JSON in the error shape', async () => {
    const res = await fetch(`${base}/api/command`, {
      method: 'POST',
      headers: { ...as, 'Content-Type': 'application/json' },
      body: JSON.stringify({ personId: team.llm_product_manager!.id, text: 'help' }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'database.unavailable', message: expect.stringContaining('cannot reach its database') } });
  });

  it('once the outage is known, pages and the API answer at once instead of waiting for the driver each time', async () => {
    // Each of these waited the driver's server selection (2 s here) before: five took over 10 s.
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      const res = i % 2 ? await fetch(`${base}/api/notifications?personId=${team.llm_product_manager!.id}`, { headers: as }) : await fetch(`${base}/dashboard`, { headers: as });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      await res.text();
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

it('answers normally again once the database is back', async () => {
  let status = 0;
  for (let i = 0; i < 30 && status !== 200; i++) {
    status = (await fetch(base, { headers: as })).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 500));
  }
  expect(status).toBe(200);
}, 60_000);
