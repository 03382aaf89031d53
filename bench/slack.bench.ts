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
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
  const child = fork(path.join(__dirname, 'slackTarget.child.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env, BENCH_TARGET: target }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
    await steward.ask({ type: 'peak' });
    fake.responseUrlPosts.length = 0;

    const results: Result[] = [];
    let peakRss = 0;
    const settle = async (before: number, acked: number) => {
      // Work continues after the ack: wait (bounded) for the replies to land, so runs do not overlap.
      const deadline = Date.now() + 20_000;
      while (fake.responseUrlPosts.length - before < acked && Date.now() < deadline) await new Promise((x) => setTimeout(x, 50));
      const replies = fake.responseUrlPosts.length - before;
      fake.responseUrlPosts.length = 0;
      peakRss = Math.max(peakRss, (await steward.ask<{ peakRss: number }>({ type: 'peak' })).peakRss);
      return replies;
    };
    // Closed loop first: the ceiling of each.
    {
      const r = await load(steward.url, { clients: CLIENTS, responseUrl: fake.responseUrl('closed') });
      results.push({ target: 'steward', mode: `closed ${CLIENTS}`, ...r, replies: await settle(0, r.acked - r.busy) });
      results.push({ target: 'bare-bolt', mode: `closed ${CLIENTS}`, ...(await load(bare.url, { clients: CLIENTS, responseUrl: fake.responseUrl('bare') })) });
      fake.responseUrlPosts.length = 0;
    }
    for (const rate of RATES) {
      const r = await load(steward.url, { rate, responseUrl: fake.responseUrl(`r${rate}`) });
      results.push({ target: 'steward', mode: `open ${rate}/s`, ...r, replies: await settle(0, r.acked - r.busy) });
      results.push({ target: 'bare-bolt', mode: `open ${rate}/s`, ...(await load(bare.url, { rate, responseUrl: fake.responseUrl('bare') })) });
      fake.responseUrlPosts.length = 0;
    }

    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
    console.log(`\nSlack /steward ack benchmark (${SECONDS}s per step, 127.0.0.1, ${steward.useCaseKey}, SLACK_MAX_IN_FLIGHT=${process.env.SLACK_MAX_IN_FLIGHT ?? 'default'}, load average ${load0.toFixed(1)} at start)`);
    console.log('target     mode          sent   acked   busy failed   ack/s   p50ms   p99ms  replies');
    for (const r of results) {
      console.log(
        `${r.target.padEnd(10)} ${r.mode.padEnd(12)} ${String(r.sent).padStart(6)} ${String(r.acked).padStart(6)} ${String(r.busy).padStart(6)} ${String(r.failed).padStart(6)} ${f(r.ackPerSec).padStart(7)} ${f(r.p50).padStart(7)} ${f(r.p99).padStart(7)}  ${r.replies ?? '-'}`,
      );
    }
    const closedSteward = results[0]!;
    const closedBare = results[1]!;
    const ratio = closedSteward.ackPerSec / closedBare.ackPerSec;
    const at200 = results.find((r) => r.target === 'steward' && r.mode === 'open 200/s');
    const rssMb = peakRss / 1024 / 1024;
    console.log(`\nceiling (closed loop, ${CLIENTS} clients): steward ${f(closedSteward.ackPerSec)} acks/s (${f((closedSteward.acked - closedSteward.busy) / SECONDS)} accepted/s), bare Bolt ${f(closedBare.ackPerSec)} -> ratio ${ratio.toFixed(2)} (target >= 0.60) ${ratio >= 0.6 ? 'PASS' : 'FAIL'}`);
    if (at200) console.log(`ack p99 at 200/s: ${f(at200.p99)} ms (target < 50 ms) ${at200.p99 < 50 ? 'PASS' : 'FAIL'}`);
    console.log(`Steward peak RSS over every step: ${rssMb.toFixed(0)} MB (target < 300 MB) ${rssMb < 300 ? 'PASS' : 'FAIL'}`);
    console.log(`BENCH_JSON ${JSON.stringify({ ceilingSteward: closedSteward.ackPerSec, acceptedPerSec: (closedSteward.acked - closedSteward.busy) / SECONDS, ceilingBare: closedBare.ackPerSec, ratio, p99At200: at200?.p99, peakRssMb: rssMb, load: load0, rates: results.map((r) => ({ t: r.target, m: r.mode, ack: Math.round(r.ackPerSec), busy: r.busy, p99: r.p99, replies: r.replies })) })}`);
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
