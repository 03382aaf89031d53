/**
 * Readiness follows the database: 503 with a reason while it is down, 200 again once it is back
 * on the same port, without restarting Steward. Uses its own database instance (the run's
 * shared one must never be stopped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer, type RunningServer } from '../../src/server/buildServer';
import { dbScript, eventually, freePort, testConfig } from './support';

jest.setTimeout(120_000);

let dir: string;
let port: number;
let server: RunningServer;

async function readyz(): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'steward-readiness-db-'));
  port = await freePort();
  const uri = dbScript('start', '--dir', dir, '--port', String(port));
  expect(uri).toBe(`mongodb://127.0.0.1:${port}`);
  server = await buildServer(testConfig(uri, 'readiness'));
});

afterAll(async () => {
  await server?.stop({ drainMs: 100 });
  dbScript('stop', '--dir', dir);
  rmSync(dir, { recursive: true, force: true });
});

it('is ready while the database answers', async () => {
  expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
});

it('answers 503 with the reason while the database is stopped, and recovers when it restarts', async () => {
  dbScript('stop', '--dir', dir);

  const down = await eventually(async () => {
    const r = await readyz();
    return r.status === 503 ? r : undefined;
  }, 20_000, '/readyz to report the database down');
  expect(down.body.status).toBe('unavailable');
  expect(down.body.reason).toMatch(/^database: \S/);
  // Liveness is not readiness: the process is fine, only its dependency is not.
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  expect(dbScript('start', '--dir', dir, '--port', String(port))).toBe(`mongodb://127.0.0.1:${port}`);
  const up = await eventually(async () => {
    const r = await readyz();
    return r.status === 200 ? r : undefined;
  }, 30_000, '/readyz to recover after the database restarted');
  expect(up.body).toEqual({ status: 'ready' });

  // The same connection object works again: a real write and read.
  const col = server.conn.db!.collection('probe');
  await col.insertOne({ n: 1 });
  expect(await col.countDocuments()).toBe(1);
  await server.conn.db!.dropDatabase();
});
