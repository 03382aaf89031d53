/**
 * Slack ack benchmark: signed `/steward raci UC-1` slash commands against the full Slack channel
 * (real Bolt receiver, real conversation, real database) and, side by side with the same signed
 * requests, a bare Bolt app whose only listener acks. Each runs in its own process
 * (bench/slackTarget.child.ts), so RSS and event loop are its own; the load comes from a worker
 * thread here, the fake Slack API (response_url replies) lives here too.
 *
 *   npm run bench:slack            (MONGODB_URI, or a temporary database via scripts/db.sh)
 *   BENCH_RATES=100,200 BENCH_SECONDS=3 BENCH_CLIENTS=64 npm run bench:slack
 *   SLACK_MAX_IN_FLIGHT=32 npm run bench:slack      (the bound under test; default 64)
 *
 * Closed loop (the ceiling): BENCH_CLIENTS clients each send the next request as soon as the
 * previous one is answered. Steward's answers are acks (work accepted, reply follows at
 * response_url) or immediate "Steward is busy" refusals beyond SLACK_MAX_IN_FLIGHT; both count
 * as acks, and the accepted ones are reported apart.
 * Open loop: requests on schedule at each rate whether or not earlier ones were answered, as
 * Slack sends them; at most MAX_IN_FLIGHT outstanding, each with a 10 s timeout.
 * Targets: Steward's RSS < 300 MB at any offered rate; ack p99 < 50 ms at 200/s; closed-loop
 * ceiling >= 60 % of bare Bolt's. A summary line `BENCH_JSON {...}` is printed for collecting runs.
 * Per step: each target's CPU time per answered request (its work after the ack included).
 * Both targets run with tsx's CommonJS hook (`--require tsx/cjs`), the nearest to `node dist/main.js`:
 * the ESM loader (`--import tsx`) adds a loader thread, about 15-20 MB of RSS production does not have.
 *   BENCH_PROFILE_DIR=/tmp/p npm run bench:slack    a V8 CPU profile of each step of each target
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { connectDatabase } from '../src/store/connection';
import { FakeSlackApi } from '../test/support/fakeSlackApi';
import { TEST_SIGNING_SECRET } from '../test/support/slackSigning';

const RATES = (process.env.BENCH_RATES ?? '100,200,400,800').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const MAX_IN_FLIGHT = 2000;
const ROOT = path.resolve(__dirname, '..');

interface Result {
  target: string;
  mode: string;
  sent: number;
  acked: number;
  busy: number;
  failed: number;
  ackPerSec: number;
  p50: number;
  p99: number;
  replies?: number;
  /** CPU time (user + system) the target spent per answered request, its work after the ack included. */
  cpuMsPerAck?: number;
  /** The database server's CPU time in the same step, per answered request (when this run started it). */
  dbCpuMsPerAck?: number;
}

interface Usage {
  peakRss: number;
  peak: NodeJS.MemoryUsage;
  cpu: { user: number; system: number };
}

/**
 * CPU time (ms) used so far by the database server this run started (FerretDB), read from /proc
 * (Linux); undefined when the database is another server. On a 2-core machine the database's CPU
 * is taken from the same cores as the ack path, so it is reported per step.
 */
function databaseCpuMs(dbDir: string | undefined): number | undefined {
  if (!dbDir) return undefined;
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!cmd.includes(dbDir)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
    }
  } catch {
    /* not Linux: not reported */
  }
  return undefined;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

/**
 * The load generator, in a worker thread (its own event loop): plain JavaScript, signing exactly
 * as test/support/slackSigning.ts does. `rate` > 0: open loop; else `clients` closed-loop clients.
 */
const GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac, randomBytes } = require('node:crypto');
const { url, rate, clients, seconds, responseUrl, secret, maxInFlight } = workerData;
let seq = 0;
function request() {
  const body = new URLSearchParams({ token: 'x', team_id: 'T0001', team_domain: 'bench', channel_id: 'C0BENCH', channel_name: 'bench',
    user_id: 'UBENCH', user_name: 'bench', command: '/steward', text: 'raci UC-1', api_app_id: 'A0BENCH', response_url: responseUrl,
    trigger_id: Date.now() + '.' + (seq++) + '.' + randomBytes(6).toString('hex') }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts),
    'x-slack-signature': 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex') };
  return { body, headers };
}
(async () => {
  const latencies = []; let sent = 0, failed = 0, busy = 0, inFlight = 0;
  const started = performance.now(), until = started + seconds * 1000;
  const one = async () => {
    const { body, headers } = request();
    sent++; inFlight++;
    const t0 = performance.now();
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10000) });
      const text = await res.text();
      if (res.status !== 200) failed++;
      else { latencies.push(performance.now() - t0); if (text.includes('busy')) busy++; }
    } catch { failed++; } finally { inFlight--; }
  };
  if (rate > 0) {
    const pending = [], total = rate * seconds, interval = 1000 / rate;
    for (let i = 0; i < total; i++) {
      const wait = started + i * interval - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (inFlight >= maxInFlight) { failed++; continue; }
      pending.push(one());
    }
    await Promise.all(pending);
  } else {
    await Promise.all(Array.from({ length: clients }, async () => { while (performance.now() < until) await one(); }));
  }
  parentPort.postMessage({ latencies, sent, failed, busy, elapsed: (performance.now() - started) / 1000 });
})();
`;

async function load(url: string, o: { rate?: number; clients?: number; responseUrl: string; seconds?: number }): Promise<Omit<Result, 'target' | 'mode' | 'replies'>> {
  const worker = new Worker(GENERATOR, {
    eval: true,
    workerData: { url, rate: o.rate ?? 0, clients: o.clients ?? CLIENTS, seconds: o.seconds ?? SECONDS, responseUrl: o.responseUrl, secret: TEST_SIGNING_SECRET, maxInFlight: MAX_IN_FLIGHT },
  });
  const out = await new Promise<{ latencies: number[]; sent: number; failed: number; busy: number; elapsed: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const sorted = out.latencies.sort((a, b) => a - b);
  return { sent: out.sent, acked: sorted.length, busy: out.busy, failed: out.failed, ackPerSec: sorted.length / out.elapsed, p50: pct(sorted, 50), p99: pct(sorted, 99) };
}

interface Target {
  child: ChildProcess;
  url: string;
  useCaseKey?: string;
  ask<T>(msg: object): Promise<T>;
}

async function startTarget(target: 'steward' | 'bare', env: Record<string, string>): Promise<Target> {
  const child = fork(path.join(__dirname, 'slackTarget.child.ts'), [], { execArgv: ['--require', 'tsx/cjs'], env: { ...process.env, ...env, BENCH_TARGET: target }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const first = await new Promise<{ port: number; useCaseKey?: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; useCaseKey?: string }));
    child.once('exit', (code) => reject(new Error(`${target} exited with ${code} before listening`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${first.port}/slack/events`,
    ...(first.useCaseKey ? { useCaseKey: first.useCaseKey } : {}),
    ask: <T>(msg: object) => new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      child.send(msg);
    }),
  };
}

async function main(): Promise<void> {
  let dbDir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dbDir = mkdtempSync(path.join(tmpdir(), 'steward-bench-db-'));
    uri = execFileSync('bash', [path.join(ROOT, 'scripts/db.sh'), 'start', '--dir', dbDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  }
  const dbName = `bench_slack_${randomBytes(3).toString('hex')}`;
  const fake = await new FakeSlackApi().start();
  fake.expect('auth.test');
  const targets: Target[] = [];
  const load0 = loadavg()[0]!;
  try {
    const steward = await startTarget('steward', { BENCH_MONGODB_URI: uri, BENCH_DB: dbName, BENCH_SLACK_API: fake.apiUrl });
    const bare = await startTarget('bare', {});
    targets.push(steward, bare);

    // Warm up both (JIT, pools), then check the full path really answers.
    await load(steward.url, { rate: 20, seconds: 2, responseUrl: fake.responseUrl('warm') });
    await load(bare.url, { rate: 20, seconds: 2, responseUrl: fake.responseUrl('warm') });
    await new Promise((r) => setTimeout(r, 1000));
    const warmReply = fake.responseUrlPosts.find((p) => p.id === 'warm');
    if (!warmReply || !JSON.stringify(warmReply.body).includes(steward.useCaseKey!)) throw new Error(`the full app did not answer raci ${steward.useCaseKey}: ${JSON.stringify(warmReply?.body).slice(0, 300)}`);
    fake.responseUrlPosts.length = 0;

    const results: Result[] = [];
    let peakRss = 0;
    let bareRss = 0;
    let peakAt: (NodeJS.MemoryUsage & { step: string }) | undefined;
    const settle = async (before: number, acked: number) => {
      // Work continues after the ack: wait (bounded) for the replies to land, so runs do not overlap.
      const deadline = Date.now() + 20_000;
      while (fake.responseUrlPosts.length - before < acked && Date.now() < deadline) await new Promise((x) => setTimeout(x, 50));
      const replies = fake.responseUrlPosts.length - before;
      fake.responseUrlPosts.length = 0;
      return replies;
    };
    // One step against one target: its CPU per answered request and, with BENCH_PROFILE_DIR, a CPU
    // profile of that step alone (e.g. BENCH_PROFILE_DIR=/tmp/p, then open steward-closed.cpuprofile).
    const profileDir = process.env.BENCH_PROFILE_DIR;
    const step = async (t: Target, name: string, mode: string, run: () => Promise<Omit<Result, 'target' | 'mode'>>): Promise<Result> => {
      const before = await t.ask<Usage>({ type: 'peak' });
      const dbBefore = databaseCpuMs(dbDir);
      if (profileDir) await t.ask({ type: 'profile-start' });
      const r = await run();
      if (profileDir) await t.ask({ type: 'profile-stop', file: path.join(profileDir, `${name}-${mode.replace(/\W+/g, '')}.cpuprofile`) });
      const after = await t.ask<Usage>({ type: 'peak' });
      if (t === bare) bareRss = Math.max(bareRss, after.peakRss);
      if (t === steward && after.peakRss > peakRss) {
        peakRss = after.peakRss;
        peakAt = { step: mode, ...after.peak };
      }
      const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
      const dbAfter = databaseCpuMs(dbDir);
      const dbMs = dbBefore !== undefined && dbAfter !== undefined ? dbAfter - dbBefore : undefined;
      return { target: name, mode, ...r, cpuMsPerAck: r.acked ? cpuMs / r.acked : NaN, ...(dbMs !== undefined && r.acked ? { dbCpuMsPerAck: dbMs / r.acked } : {}) };
    };
    const stewardStep = (mode: string, o: Parameters<typeof load>[1]) =>
      step(steward, 'steward', mode, async () => {
        const r = await load(steward.url, o);
        return { ...r, replies: await settle(0, r.acked - r.busy) };
      });
    const bareStep = (mode: string, o: Parameters<typeof load>[1]) => step(bare, 'bare-bolt', mode, () => load(bare.url, o));
    // Closed loop first: the ceiling of each.
    results.push(await stewardStep(`closed ${CLIENTS}`, { clients: CLIENTS, responseUrl: fake.responseUrl('closed') }));
    results.push(await bareStep(`closed ${CLIENTS}`, { clients: CLIENTS, responseUrl: fake.responseUrl('bare') }));
    fake.responseUrlPosts.length = 0;
    for (const rate of RATES) {
      results.push(await stewardStep(`open ${rate}/s`, { rate, responseUrl: fake.responseUrl(`r${rate}`) }));
      results.push(await bareStep(`open ${rate}/s`, { rate, responseUrl: fake.responseUrl('bare') }));
      fake.responseUrlPosts.length = 0;
    }

    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
    console.log(`\nSlack /steward ack benchmark (${SECONDS}s per step, 127.0.0.1, ${steward.useCaseKey}, SLACK_MAX_IN_FLIGHT=${process.env.SLACK_MAX_IN_FLIGHT ?? 'default'}, load average ${load0.toFixed(1)} at start)`);
    console.log('target     mode          sent   acked   busy failed   ack/s   p50ms   p99ms  replies  cpu ms/ack  db cpu ms/ack');
    for (const r of results) {
      console.log(
        `${r.target.padEnd(10)} ${r.mode.padEnd(12)} ${String(r.sent).padStart(6)} ${String(r.acked).padStart(6)} ${String(r.busy).padStart(6)} ${String(r.failed).padStart(6)} ${f(r.ackPerSec).padStart(7)} ${f(r.p50).padStart(7)} ${f(r.p99).padStart(7)}  ${String(r.replies ?? '-').padStart(7)}  ${(r.cpuMsPerAck?.toFixed(2) ?? '-').padStart(10)}  ${(r.dbCpuMsPerAck?.toFixed(2) ?? '-').padStart(13)}`,
      );
    }
    const closedSteward = results[0]!;
    const closedBare = results[1]!;
    const ratio = closedSteward.ackPerSec / closedBare.ackPerSec;
    const at200 = results.find((r) => r.target === 'steward' && r.mode === 'open 200/s');
    const rssMb = peakRss / 1024 / 1024;
    console.log(`\nceiling (closed loop, ${CLIENTS} clients): steward ${f(closedSteward.ackPerSec)} acks/s (${f((closedSteward.acked - closedSteward.busy) / SECONDS)} accepted/s), bare Bolt ${f(closedBare.ackPerSec)} -> ratio ${ratio.toFixed(2)} (target >= 0.60) ${ratio >= 0.6 ? 'PASS' : 'FAIL'}`);
    if (at200) console.log(`ack p99 at 200/s: ${f(at200.p99)} ms (target < 50 ms) ${at200.p99 < 50 ? 'PASS' : 'FAIL'}`);
    console.log(`Steward peak RSS over every step: ${rssMb.toFixed(0)} MB (target < 300 MB) ${rssMb < 300 ? 'PASS' : 'FAIL'}; bare Bolt's ${(bareRss / 1024 / 1024).toFixed(0)} MB`);
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    if (peakAt) console.log(`  at the peak (${peakAt.step}): V8 heap ${mb(peakAt.heapUsed)} used of ${mb(peakAt.heapTotal)}, external ${mb(peakAt.external)} (buffers ${mb(peakAt.arrayBuffers)}), rest ${mb(peakAt.rss - peakAt.heapTotal - peakAt.external)} (code, stacks, native)`);
    console.log(`BENCH_JSON ${JSON.stringify({ ceilingSteward: closedSteward.ackPerSec, acceptedPerSec: (closedSteward.acked - closedSteward.busy) / SECONDS, ceilingBare: closedBare.ackPerSec, ratio, p99At200: at200?.p99, peakRssMb: rssMb, bareRssMb: bareRss / 1024 / 1024, peakHeapTotalMb: (peakAt?.heapTotal ?? 0) / 1024 / 1024, load: load0, rates: results.map((r) => ({ t: r.target, m: r.mode, ack: Math.round(r.ackPerSec), busy: r.busy, p99: r.p99, replies: r.replies, cpuMsPerAck: r.cpuMsPerAck, dbCpuMsPerAck: r.dbCpuMsPerAck })) })}`);
  } finally {
    for (const t of targets) {
      t.child.send({ type: 'stop' });
      await new Promise((r) => t.child.once('exit', r));
    }
    const conn = await connectDatabase({ uri, dbName });
    await conn.db?.dropDatabase().catch(() => undefined);
    await conn.close();
    await fake.stop();
    if (dbDir) {
      execFileSync('bash', [path.join(ROOT, 'scripts/db.sh'), 'stop', '--dir', dbDir], { stdio: 'inherit' });
      rmSync(dbDir, { recursive: true, force: true });
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
