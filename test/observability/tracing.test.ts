/**
 * OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT set, spans reach an OTLP/HTTP receiver (a
 * local one on 127.0.0.1 here, reading the JSON the exporter posts to /v1/traces), named by route
 * pattern and carrying the request id; without it, no OpenTelemetry SDK or exporter is even loaded.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { useTestDatabase } from '../support/db';
import { eventually, freePort } from '../foundation/support';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');
const db = useTestDatabase();

interface Span {
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}

let receiver: Server;
let endpoint: string;
const spans: Span[] = [];
const posts: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      posts.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const parsed = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> };
      for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const attr = (s: Span, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
};

it('the process exports a server span per request, named by route, with the request id, to <endpoint>/v1/traces', async () => {
  // The real process (src/main.ts under tsx): the exporter loads its HTTP transport with a
  // dynamic import, which jest's module sandbox cannot run.
  const port = await freePort();
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      STEWARD_ROLE: 'web',
      MONGODB_URI: db.uri,
      MONGODB_DB: db.dbName,
      CONSOLE_ENABLED: 'false',
      STEWARD_SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    await eventually(async () => (out.includes('"msg":"listening"') ? true : undefined), 45_000, `the process to listen (${out.slice(-500)})`);
    expect(out).toContain('tracing: exporting spans over OTLP/HTTP');
    await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { 'X-Request-Id': 'trace-test-0001' } });
    await fetch(`http://127.0.0.1:${port}/nowhere`, { headers: { 'X-Request-Id': 'trace-test-0002' } });
    child.kill('SIGTERM'); // shutdown flushes the batch
    const code = await exit;
    // On failure, the process's own last lines say why (a shutdown deadline, a failed flush).
    expect({ code, tail: code === 0 ? '' : out.slice(-2000) }).toEqual({ code: 0, tail: '' });
  } finally {
    child.kill('SIGKILL');
  }
  expect(posts[0]).toBe('POST /v1/traces application/json');
  const health = spans.find((s) => attr(s, 'steward.request_id') === 'trace-test-0001');
  expect(health).toBeDefined();
  expect(health!.name).toBe('GET /healthz');
  expect(health!.kind).toBe(2); // SERVER
  expect(attr(health!, 'http.response.status_code')).toBe(200);
  const missing = spans.find((s) => attr(s, 'steward.request_id') === 'trace-test-0002');
  expect(missing!.name).toBe('GET unmatched');
});

it('without OTEL_EXPORTER_OTLP_ENDPOINT neither the SDK nor the exporter is loaded', () => {
  // A fresh process: the whole application imported (src/main.ts and every module), the server's module included.
  const script = `require('./src/main'); require('./src/server/buildServer');
    // @opentelemetry/api alone is prom-client's (a no-op facade it reads exemplars through).
    const loaded = Object.keys(require.cache).filter((k) => k.includes('@opentelemetry') && !k.includes('@opentelemetry/api/'));
    const app = Object.keys(require.cache).filter((k) => k.includes('/src/observability/'));
    process.stdout.write(JSON.stringify({ loaded, app: app.length }));`;
  const out = JSON.parse(execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: process.env.HOME! } })) as { loaded: string[]; app: number };
  expect(out.app).toBeGreaterThan(0); // the observability code itself is there
  expect(out.loaded).toEqual([]);
});
