/**
 * The process itself (src/main.ts under tsx): configuration errors stop it with one line per
 * problem, and SIGTERM shuts it down cleanly with exit code 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { testDbName } from '../support/db';
import { ROOT, eventually, freePort } from './support';

jest.setTimeout(60_000);

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  // A clean environment: nothing from the developer's shell or from jest leaks in.
  const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

const logLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; level: number; [k: string]: unknown });

it('refuses to start on bad configuration, one line per problem, exit code 78', async () => {
  const r = run({ NODE_ENV: 'production', PORT: 'abc', STEWARD_ROLE: 'both' });
  expect(await r.exit).toBe(78);
  const lines = r.stderr().trim().split('\n');
  expect(lines[0]).toBe('Steward cannot start.');
  expect(lines).toContain("  - PORT: expected an integer 1-65535, got 'abc'");
  expect(lines).toContain("  - STEWARD_ROLE: expected one of web, worker, all, got 'both'");
  expect(r.stderr()).not.toMatch(/\n\s+at /); // no stack trace
});

it('refuses production without a database', async () => {
  const r = run({ NODE_ENV: 'production', CONSOLE_ENABLED: 'false' });
  expect(await r.exit).toBe(78);
  expect(r.stderr()).toContain('MONGODB_URI: required in production');
});

it('serves, then shuts down on SIGTERM with exit code 0', async () => {
  const port = await freePort();
  const dbName = testDbName('main');
  const r = run({
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://steward.example.com',
    HOST: '127.0.0.1',
    PORT: String(port),
    MONGODB_URI: process.env.STEWARD_TEST_MONGODB_URI!,
    MONGODB_DB: dbName,
    CONSOLE_ENABLED: 'false',
    AUDIT_SIGNING_KEY: 'main-test-audit-signing-key-0123456789',
    LOG_LEVEL: 'info',
  });
  try {
    await eventually(
      async () => {
        if (r.child.exitCode !== null) throw new Error(`exited with ${r.child.exitCode}: ${r.stderr()}${r.stdout()}`);
        return logLines(r.stdout()).some((l) => l.msg === 'listening') ? true : undefined;
      },
      30_000,
      'the listening log line',
    );
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await res.json()).toEqual({ status: 'ready' });

    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
    const msgs = logLines(r.stdout()).map((l) => l.msg);
    expect(msgs).toEqual(expect.arrayContaining(['starting', 'listening', 'shutting down', 'stopped']));
    // Ordered by the log's own timestamps: stdout chunks may interleave under load.
    const timeOf = (msg: string) => logLines(r.stdout()).find((l) => l.msg === msg)?.time as number;
    expect(timeOf('stopped')).toBeGreaterThanOrEqual(timeOf('shutting down'));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  } finally {
    r.child.kill('SIGKILL');
  }
});
