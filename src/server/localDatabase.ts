/**
 * Outside production, with no MONGODB_URI, Steward runs on the local database that
 * scripts/db.sh manages (data under data/db; `npm run db stop` stops it). The script is
 * idempotent: it prints the URI of the instance already running, or starts one.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export function startLocalDatabase(): Promise<string> {
  return new Promise((resolve, reject) => {
    // detached: its own process group, so Ctrl-C on Steward leaves the database running.
    const child = spawn('bash', [path.join(ROOT, 'scripts', 'db.sh'), 'start'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const uri = out.trim().split('\n').pop() ?? '';
      if (code === 0 && uri.startsWith('mongodb')) resolve(uri);
      else reject(new Error(`scripts/db.sh start failed (exit ${code}); set MONGODB_URI or see the messages above`));
    });
  });
}
