/**
 * A database server of the test's own (scripts/db.sh on a temporary dir and a fixed port), so
 * the test can stop and restart it without disturbing the run's shared server. The scripts run
 * asynchronously: a synchronous child would freeze the event loop, and with it the writers the
 * test keeps running while the server goes away.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const DB_SH = path.join(ROOT, 'scripts/db.sh');

export interface PrivateDatabase {
  dir: string;
  port: number;
  uri: string;
  start(): Promise<string>;
  stop(): Promise<void>;
  /** Stops the server and removes its data. */
  dispose(): Promise<void>;
}

/** db.sh with MONGODB_URI set only echoes that URI: it cannot stop such a server. */
export const externalDatabase = (): boolean => !!process.env.MONGODB_URI;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function dbSh(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [DB_SH, ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`db.sh ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

export async function startPrivateDatabase(): Promise<PrivateDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-outage-db-'));
  const port = await freePort();
  const db: PrivateDatabase = {
    dir,
    port,
    uri: '',
    start: async () => (db.uri = await dbSh(['start', '--dir', dir, '--port', String(port)])),
    stop: async () => {
      await dbSh(['stop', '--dir', dir]);
    },
    dispose: async () => {
      await db.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await db.start();
  return db;
}
