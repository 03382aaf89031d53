/**
 * GET /metrics on the real server (buildServer, real database): who may read it, what it holds
 * (requests by route pattern, the outbox and scheduler figures read from the database, the pool,
 * process figures), and errors that are survived being counted. Configuration: test/foundation/config.test.ts.
 */
import type { EventEmitter } from 'node:events';
import { buildContext } from '../../src/app/context';
import { loadConfig } from '../../src/config';
import { loadPolicy } from '../../src/playbooks';
import { buildServer, type RunningServer } from '../../src/server/buildServer';
import type { StewardModule } from '../../src/server/module';
import { setSwallowedErrorLogger } from '../../src/observability/swallowed';
import { useTestDatabase } from '../support/db';
import { testConfig } from '../foundation/support';

jest.setTimeout(60_000);

const TOKEN = 'metrics-token-0123456789abcdef';
const db = useTestDatabase();
let server: RunningServer;
let unready: string | null = null;
const probe: StewardModule = { name: 'probe', roles: ['web'], start: () => ({ ready: () => unready }) };

beforeAll(async () => {
  server = await buildServer(testConfig(db.uri, db.dbName, { metrics: { token: TOKEN, onPublicPort: true } }), { conn: db.conn, modules: [probe] });
});
afterAll(async () => {
  await server?.stop({ drainMs: 100 });
});

async function scrape(base = server.url, token: string | null = TOKEN): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${base}/metrics`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

/** The value of one sample, e.g. value(text, 'steward_outbox_depth') or with labels. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('access', () => {
  it('refuses a scrape without the bearer token, or with a wrong one', async () => {
    for (const token of [null, 'wrong-token-0123456789abcdef']) {
      const r = await scrape(server.url, token);
      expect(r.status).toBe(401);
      expect(r.text).not.toContain('steward_');
    }
  });

  it('serves the Prometheus text format with the token', async () => {
    const r = await scrape();
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.text).toContain('# TYPE steward_http_requests_total counter');
  });

  it('METRICS_PORT: served on its own port only, not on the public one', async () => {
    const separate = await buildServer(testConfig(db.uri, db.dbName, { metrics: { port: 0, onPublicPort: false } }), { conn: db.conn });
    try {
      expect((await scrape(separate.url, null)).status).toBe(404);
      const own = await scrape(`http://127.0.0.1:${separate.metricsPort}`, null);
      expect(own.status).toBe(200);
      expect(own.text).toContain('steward_outbox_depth');
      expect((await fetch(`http://127.0.0.1:${separate.metricsPort}/readyz`)).status).toBe(404);
    } finally {
      await separate.stop({ drainMs: 100 });
    }
  });

  it('production without a token or a port of its own does not serve /metrics at all', async () => {
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://steward.example.com', MONGODB_URI: db.uri, AUDIT_SIGNING_KEY: 'k'.repeat(40), CONSOLE_ENABLED: 'false' });
    expect(config.metrics.onPublicPort).toBe(false);
    expect(config.warnings.join('\n')).toMatch(/METRICS_TOKEN \/ METRICS_PORT: neither is set/);
    const prod = await buildServer({ ...config, port: 0, host: '127.0.0.1', mongodb: { uri: db.uri, dbName: db.dbName } }, { conn: db.conn });
    try {
      expect((await scrape(prod.url, null)).status).toBe(404);
      expect((await fetch(`${prod.url}/healthz`)).status).toBe(200);
    } finally {
      await prod.stop({ drainMs: 100 });
    }
  });
});

describe('what it holds', () => {
  it('requests by route pattern and status, with a latency histogram; unknown paths as one label', async () => {
    const before = value((await scrape()).text, 'steward_http_requests_total', { route: '/healthz', status: '200' }) ?? 0;
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/healthz`);
    await fetch(`${server.url}/no/such/path/${Date.now()}`);
    const t = (await scrape()).text;
    expect(value(t, 'steward_http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(before + 3);
    expect(value(t, 'steward_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(t).not.toContain('/no/such/path');
    expect(value(t, 'steward_http_request_duration_seconds_count', { route: '/healthz', status: '200' })).toBeGreaterThanOrEqual(3);
    expect(t).toMatch(/steward_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz",status="200"\}/);
  });

  it('outbox depth, oldest undelivered age and dead letters, read from the outbox', async () => {
    const d = db.conn.db!;
    const old = new Date(Date.now() - 600_000);
    await d.collection('deliveries').insertMany([
      { _id: 'm:old' as never, to: { channel: 'incidents' }, text: 'old', createdAt: old },
      { _id: 'm:new' as never, to: { channel: 'incidents' }, text: 'new', createdAt: new Date() },
    ]);
    await d.collection('delivery_queue').insertMany([
      // A retry: its queue entry is recent, the message ten minutes old.
      { _id: 'm:old#3' as never, key: 'm:old', attempt: 3, nextAttemptAt: new Date(Date.now() + 60_000) },
      { _id: 'm:new#1' as never, key: 'm:new', attempt: 1, nextAttemptAt: new Date() },
    ]);
    await d.collection('delivery_outcomes').insertOne({ _id: 'm:dead#6' as never, key: 'm:dead', attempt: 6, outcome: 'dead', at: new Date() });
    await new Promise((r) => setTimeout(r, 5100)); // past the figures' cache
    const t = (await scrape()).text;
    expect(value(t, 'steward_outbox_depth')).toBe(2);
    expect(value(t, 'steward_outbox_oldest_undelivered_seconds')).toBeGreaterThanOrEqual(600);
    expect(value(t, 'steward_outbox_oldest_undelivered_seconds')).toBeLessThan(700);
    expect(value(t, 'steward_outbox_dead_letters')).toBe(1);
  });

  it('how overdue each scheduled job is, from Agenda', async () => {
    const jobs = db.conn.db!.collection('agendaJobs');
    await jobs.insertMany([
      { name: 'reviews-sweep', type: 'single', nextRunAt: new Date(Date.now() - 120_000), lockedAt: null, data: {} },
      { name: 'weekly-digest', type: 'single', nextRunAt: new Date(Date.now() + 3_600_000), lockedAt: null, data: {} },
      // Running (locked): not waiting, whatever its nextRunAt says.
      { name: 'audit-checkpoint', type: 'single', nextRunAt: new Date(Date.now() - 600_000), lockedAt: new Date(), data: {} },
    ]);
    await new Promise((r) => setTimeout(r, 5100));
    const t = (await scrape()).text;
    expect(value(t, 'steward_scheduler_job_lag_seconds', { job: 'reviews-sweep' })).toBeGreaterThanOrEqual(120);
    expect(value(t, 'steward_scheduler_job_lag_seconds', { job: 'weekly-digest' })).toBe(0);
    expect(value(t, 'steward_scheduler_job_lag_seconds', { job: 'audit-checkpoint' })).toBe(0);
  });

  it('the database pool, event-loop lag and process memory', async () => {
    const t = (await scrape()).text;
    expect(value(t, 'steward_db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
    expect(value(t, 'steward_db_pool_connections_open')).toBeGreaterThanOrEqual(0);
    expect(value(t, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(t, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
  });
});

describe('errors that are survived are logged and counted', () => {
  const logged: Array<{ source: string }> = [];
  beforeAll(() => setSwallowedErrorLogger({ error: (o: object) => void logged.push(o as { source: string }) }));

  it('the database connection error listener', async () => {
    const before = value((await scrape()).text, 'steward_swallowed_errors_total', { source: 'db_connection' }) ?? 0;
    (db.conn as unknown as EventEmitter).emit('error', new Error('connection reset by peer'));
    expect(value((await scrape()).text, 'steward_swallowed_errors_total', { source: 'db_connection' })).toBe(before + 1);
    expect(logged.some((l) => l.source === 'db_connection')).toBe(true);
  });

  it("the event bus's default handler: a failing subscriber is counted, the operation is not failed", async () => {
    const ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
    const before = value((await scrape()).text, 'steward_swallowed_errors_total', { source: 'event_bus' }) ?? 0;
    ctx.events.on(() => {
      throw new Error('subscriber broke');
    });
    expect(await ctx.events.emit({ type: 'use_case.proposed', useCaseKey: 'UC-1', actorId: 'x' } as never)).toBe(1);
    expect(value((await scrape()).text, 'steward_swallowed_errors_total', { source: 'event_bus' })).toBe(before + 1);
    expect(logged.some((l) => l.source === 'event_bus')).toBe(true);
  });
});

describe('/readyz', () => {
  it("includes each module's own check (a worker's scheduler and dispatcher report there)", async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    unready = 'outbox dispatcher: 3 passes failed in a row (boom)';
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', reason: 'outbox dispatcher: 3 passes failed in a row (boom)' });
    unready = null;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
