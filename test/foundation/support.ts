/** Helpers shared by the foundation tests: a free port, a test config, polling. */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config';

export const ROOT = path.resolve(__dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A test-env config on port 0 (127.0.0.1 only) for the given database. */
export function testConfig(uri: string, dbName: string, over: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', MONGODB_URI: uri, MONGODB_DB: dbName }), port: 0, host: '127.0.0.1', ...over };
}

/** Runs scripts/db.sh; returns its stdout (the URI for `start`). */
export function dbScript(...args: string[]): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/db.sh'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MONGODB_URI: '' },
  }).trim();
}

/** Polls until `check` returns a value; a thrown error is remembered and reported on timeout. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}
