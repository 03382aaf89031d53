/**
 * One side of bench/slack.bench.ts in its own process, so its RSS and event loop are its own:
 *   BENCH_TARGET=steward  the full Slack channel (real Bolt receiver, conversation, database)
 *   BENCH_TARGET=bare     a bare Bolt app whose only listener acks
 * Tells the parent its port over IPC; answers { peakRss } on request (sampled every 50 ms).
 */
import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { buildContext } from '../src/app/context';
import { createSlackChannel } from '../src/channels/slack';
import { createConversation } from '../src/conversation/handlers';
import { proposeUseCase } from '../src/domain/usecases/proposeUseCase';
import { createHttpApp } from '../src/http/app';
import { silentLogger } from '../src/logger';
import { loadPolicy } from '../src/playbooks';
import { connectDatabase } from '../src/store/connection';
import { TEST_SIGNING_SECRET } from '../test/support/slackSigning';

async function steward(): Promise<{ app: express.Express; useCaseKey: string; close: () => Promise<void> }> {
  const conn = await connectDatabase({ uri: process.env.BENCH_MONGODB_URI!, dbName: process.env.BENCH_DB! });
  const ctx = await buildContext({ conn, policy: loadPolicy() });
  await ctx.repos.people.create({ id: 'bench', name: 'Bench', slackUserId: 'UBENCH', roles: ['llm_product_manager'], createdAt: new Date() }, { at: new Date(), actorId: 'bench', action: 'person.registered' });
  const answers: Record<string, unknown> = {};
  for (const q of ctx.policy.risk.questions) {
    if (!q.required) continue;
    const ids = (q.options ?? []).map((o) => o.id);
    answers[q.id] = q.kind === 'boolean' ? false : q.kind === 'multi_select' ? (ids.includes('none') ? ['none'] : ids.slice(0, 1)) : q.kind === 'single_select' ? ids[0] : 'n/a';
  }
  const uc = await proposeUseCase(ctx, { actorId: 'bench', title: 'Benchmark use case', answers });
  const channel = createSlackChannel({
    ctx,
    conversation: createConversation({ ctx }),
    config: { signingSecret: TEST_SIGNING_SECRET, botToken: 'xoxb-bench', socketMode: false, botId: 'BBENCH', botUserId: 'UBOTBENCH', allowedTeams: ['T0001'] },
    logger: silentLogger,
    clientOptions: { slackApiUrl: process.env.BENCH_SLACK_API!, retryConfig: { retries: 0 } },
    ...(process.env.SLACK_MAX_IN_FLIGHT ? { maxInFlight: Number(process.env.SLACK_MAX_IN_FLIGHT) } : {}),
  });
  const app = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/', handler: channel.router }] });
  return { app, useCaseKey: uc.key, close: () => conn.close() };
}

function bare(): express.Express {
  const receiver = new ExpressReceiver({ signingSecret: TEST_SIGNING_SECRET, endpoints: '/slack/events' });
  const bolt = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0', botUserId: 'U0' }) });
  bolt.command('/steward', async ({ ack }) => {
    await ack();
  });
  const app = express();
  app.use(receiver.router);
  return app;
}

async function main(): Promise<void> {
  const target = process.env.BENCH_TARGET;
  const built = target === 'steward' ? await steward() : { app: bare(), useCaseKey: undefined, close: async () => undefined };
  // The peak RSS and what the heap held at that moment (heap vs buffers vs the rest: code, stacks, sockets).
  let peak = process.memoryUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak = m;
  }, 50);
  const server = built.app.listen(0, '127.0.0.1', () => {
    process.send!({ port: (server.address() as AddressInfo).port, useCaseKey: built.useCaseKey });
  });
  // Profiles of one step at a time (bench: BENCH_PROFILE_DIR), so start-up and idle waits stay out.
  const inspector = process.env.BENCH_PROFILE_DIR ? new Session() : undefined;
  inspector?.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => inspector!.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  process.on('message', (m: { type: string; file?: string }) => {
    if (m.type === 'peak') {
      process.send!({ peakRss: peak.rss, peak, cpu: process.cpuUsage() });
      peak = process.memoryUsage();
    } else if (m.type === 'profile-start' && inspector) {
      void post('Profiler.enable')
        .then(() => post('Profiler.start'))
        .then(() => process.send!({ ok: true }));
    } else if (m.type === 'profile-stop' && inspector) {
      void post('Profiler.stop').then((r) => {
        writeFileSync(m.file!, JSON.stringify((r as { profile: object }).profile));
        process.send!({ ok: true });
      });
    } else if (m.type === 'stop') {
      clearInterval(sampler);
      server.closeAllConnections();
      server.close(() => void built.close().then(() => process.exit(0)));
    }
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
