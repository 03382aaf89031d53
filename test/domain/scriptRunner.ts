/** Runs one of src/cli/*.ts as a child process (tsx), the way an operator would through npm. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { DEVELOPMENT_AUDIT_KEY } from '../../src/store/history.repo';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `env` is added to a minimal environment: the script sees only what an operator would set, and
 * the audit key the tests' own repositories use (so the script signs and verifies as they do).
 */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [path.join(root, 'src/cli', script), ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', AUDIT_SIGNING_KEY: DEVELOPMENT_AUDIT_KEY, ...env }, timeout: 100_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
