/**
 * Slack ack benchmark: signed `/steward raci UC-1` slash commands at fixed rates against the
 * full app (real Bolt receiver, real conversation, real database) and, side by side, a bare
 * Bolt app whose only listener acks (the ceiling). Reports acknowledged commands/s, ack latency
 * p50/p95/p99, replies delivered (response_url), and Steward's peak RSS.
 *
 *   npm run bench:slack            (MONGODB_URI, or a temporary database via scripts/db.sh)
 *   BENCH_RATES=50,100 BENCH_SECONDS=3 npm run bench:slack
 *
 * Open loop: requests are sent on schedule whether or not earlier ones were answered, as Slack
 * does. Bounded: each rate runs BENCH_SECONDS, at most MAX_IN_FLIGHT requests outstanding, each
 * with a 10 s timeout. Everything listens on 127.0.0.1. Targets: p99 ack < 100 ms at 200/s;
 * sustained throughput >= half the bare app's.
 */
import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildContext } from '../src/app/context';
import { createSlackChannel } from '../src/channels/slack';
import { createConversation } from '../src/conversation/handlers';
import { createHttpApp } from '../src/http/app';
import { silentLogger } from '../src/logger';
import { loadPolicy } from '../src/playbooks';
import { connectDatabase } from '../src/store/connection';
import { proposeUseCase } from '../src/domain/usecases/proposeUseCase';
import { FakeSlackApi } from '../test/support/fakeSlackApi';
import { TEST_SIGNING_SECRET } from '../test/support/slackSigning';

const RATES = (process.env.BENCH_RATES ?? '50,100,200,400').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const MAX_IN_FLIGHT = 2000;
const ROOT = path.resolve(__dirname, '..');

interface Result {
  target: string;
  rate: number;
  sent: number;
  acked: number;
  failed: number;
  ackPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  replies?: number;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

/**
 * The load generator runs in a worker thread (its own event loop), so the latency measured is
 * the server's and not the generator's waiting behind the server's work in the same loop.
 * Plain JavaScript, signing exactly as test/support/slackSigning.ts does.
 */
const GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac, randomBytes } = require('node:crypto');
const { url, rate, seconds, responseUrl, secret, maxInFlight } = workerData;
(async () => {
  const latencies = []; let sent = 0, failed = 0, inFlight = 0;
  const total = rate * seconds, interval = 1000 / rate, started = performance.now(), pending = [];
  for (let i = 0; i < total; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) { failed++; continue; }
    const body = new URLSearchParams({ token: 'x', team_id: 'T0001', team_domain: 'bench', channel_id: 'C0BENCH', channel_name: 'bench',
      user_id: 'UBENCH', user_name: 'bench', command: '/steward', text: 'raci UC-1', api_app_id: 'A0BENCH', response_url: responseUrl,
      trigger_id: Date.now() + '.' + i + '.' + randomBytes(6).toString('hex') }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts),
      'x-slack-signature': 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex') };
    sent++; inFlight++;
    const t0 = performance.now();
    pending.push(fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10000) })
      .then(async (res) => { await res.arrayBuffer(); if (res.status === 200) latencies.push(performance.now() - t0); else failed++; })
      .catch(() => { failed++; }).finally(() => { inFlight--; }));
  }
  await Promise.all(pending);
  parentPort.postMessage({ latencies, sent, failed, elapsed: (performance.now() - started) / 1000 });
})();
`;

async function fireAt(url: string, rate: number, responseUrl: string): Promise<Omit<Result, 'target' | 'replies'>> {
  const worker = new Worker(GENERATOR, {
    eval: true,
    workerData: { url, rate, seconds: SECONDS, responseUrl, secret: TEST_SIGNING_SECRET, maxInFlight: MAX_IN_FLIGHT },
  });
  const out = await new Promise<{ latencies: number[]; sent: number; failed: number; elapsed: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const sorted = out.latencies.sort((a, b) => a - b);
  return { rate, sent: out.sent, acked: sorted.length, failed: out.failed, ackPerSec: sorted.length / out.elapsed, p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99) };
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

async function main(): Promise<void> {
  let dbDir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dbDir = mkdtempSync(path.join(tmpdir(), 'steward-bench-db-'));
    uri = execFileSync('bash', [path.join(ROOT, 'scripts/db.sh'), 'start', '--dir', dbDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  }
  const dbName = `bench_slack_${randomBytes(3).toString('hex')}`;
  const conn = await connectDatabase({ uri, dbName });
  const fake = await new FakeSlackApi().start();
  const servers: Server[] = [];
  try {
    const ctx = await buildContext({ conn, policy: loadPolicy() });
    await ctx.repos.people.create({ id: 'bench', name: 'Bench', slackUserId: 'UBENCH', roles: ['llm_product_manager'], createdAt: new Date() }, { at: new Date(), actorId: 'bench', action: 'person.registered' });
    const answers: Record<string, unknown> = {};
    for (const q of ctx.policy.risk.questions) {
      if (!q.required) continue;
      const ids = (q.options ?? []).map((o) => o.id);
      answers[q.id] = q.kind === 'boolean' ? false : q.kind === 'multi_select' ? (ids.includes('none') ? ['none'] : ids.slice(0, 1)) : q.kind === 'single_select' ? ids[0] : 'n/a';
    }
    const uc = await proposeUseCase(ctx, { actorId: 'bench', title: 'Benchmark use case', answers });

    const steward = createSlackChannel({
      ctx,
      conversation: createConversation({ ctx }),
      config: { signingSecret: TEST_SIGNING_SECRET, botToken: 'xoxb-bench', socketMode: false, botId: 'BBENCH', botUserId: 'UBOTBENCH' },
      logger: silentLogger,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const full = await listen(createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/', handler: steward.router }] }));
    servers.push(full.server);

    const bareReceiver = new ExpressReceiver({ signingSecret: TEST_SIGNING_SECRET, endpoints: '/slack/events' });
    const bare = new App({ receiver: bareReceiver, authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0', botUserId: 'U0' }) });
    bare.command('/steward', async ({ ack }) => {
      await ack();
    });
    const bareApp = express();
    bareApp.use(bareReceiver.router);
    const bareSrv = await listen(bareApp);
    servers.push(bareSrv.server);

    // Warm up both (JIT, connection pools), then check the full path really answers.
    await fireAt(full.url, 20, fake.responseUrl('warm'));
    await fireAt(bareSrv.url, 20, fake.responseUrl('warm'));
    await new Promise((r) => setTimeout(r, 1000));
    const warmReply = fake.responseUrlPosts.find((p) => p.id === 'warm');
    if (!warmReply || !JSON.stringify(warmReply.body).includes(uc.key)) throw new Error(`the full app did not answer raci ${uc.key}: ${JSON.stringify(warmReply?.body).slice(0, 300)}`);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const results: Result[] = [];
    for (const rate of RATES) {
      const before = fake.responseUrlPosts.length;
      const r = await fireAt(full.url, rate, fake.responseUrl(`r${rate}`));
      // Work continues after the ack: wait (bounded) for the replies to land.
      const deadline = Date.now() + 15_000;
      while (fake.responseUrlPosts.length - before < r.acked && Date.now() < deadline) await new Promise((x) => setTimeout(x, 50));
      results.push({ target: 'steward', ...r, replies: fake.responseUrlPosts.length - before });
      fake.responseUrlPosts.length = 0;
      results.push({ target: 'bare-bolt', ...(await fireAt(bareSrv.url, rate, fake.responseUrl('bare'))) });
    }
    clearInterval(sampler);

    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
    console.log(`\nSlack /steward ack benchmark (${SECONDS}s per rate, open loop, 127.0.0.1, ${uc.key})`);
    console.log('target     rate/s  sent   acked  failed  ack/s    p50ms  p95ms  p99ms  replies');
    for (const r of results) {
      console.log(
        `${r.target.padEnd(10)} ${String(r.rate).padStart(6)} ${String(r.sent).padStart(6)} ${String(r.acked).padStart(6)} ${String(r.failed).padStart(6)}  ${f(r.ackPerSec).padStart(6)} ${f(r.p50).padStart(6)} ${f(r.p95).padStart(6)} ${f(r.p99).padStart(6)}  ${r.replies ?? '-'}`,
      );
    }
    const best = (t: string) => Math.max(...results.filter((r) => r.target === t).map((r) => r.ackPerSec));
    const at200 = results.find((r) => r.target === 'steward' && r.rate === 200);
    console.log(`\nsustained max ack/s: steward ${f(best('steward'))}, bare ${f(best('bare-bolt'))} (ratio ${(best('steward') / best('bare-bolt')).toFixed(2)}; target >= 0.50)`);
    if (at200) console.log(`p99 ack at 200/s: ${f(at200.p99)} ms (target < 100 ms) -> ${at200.p99 < 100 ? 'PASS' : 'FAIL'}`);
    console.log(`peak RSS of the process (Steward + bare app + generator thread): ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
    fake.verify();
  } finally {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await fake.stop();
    await conn.db?.dropDatabase().catch(() => undefined);
    await conn.close();
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
