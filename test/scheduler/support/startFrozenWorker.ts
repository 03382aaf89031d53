/** Starts frozenWorker.ts as a real process and resolves once its job has started (and hangs). */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

export async function startFrozenWorker(uri: string, dbName: string, timeoutMs = 60_000): Promise<{ process: ChildProcess }> {
  // `node --import tsx`: one process, so signals reach the process holding the lock.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'frozenWorker.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', FROZEN_URI: uri, FROZEN_DB: dbName },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the frozen worker's job did not start within ${timeoutMs} ms: ${stderr.slice(-500)}`));
    }, timeoutMs);
    child.stdout!.on('data', (d) => {
      if (String(d).includes('"t":"hung"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the frozen worker exited (${code}) before its job started: ${stderr.slice(-500)}`));
    });
  });
  return { process: child };
}
