/**
 * One Slack command followed through the logs by its request id: the ack's request line, the
 * command's work after the ack, and the outbox delivery a worker sends later (the id is stored on
 * the outbox message). Real Bolt receiver fed signed HTTP, real conversation and worker on the
 * real database; Slack's Web API is the local fake. Log lines are read back from the logger.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { buildContext, type AppContext } from '../../src/app/context';
import { createSlackChannel, type SlackChannel } from '../../src/channels/slack';
import { createConversation } from '../../src/conversation/handlers';
import { createHttpApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { CompositeNotifier } from '../../src/notifications/compositeNotifier';
import { loadPolicy } from '../../src/playbooks';
import { startWorker, type Worker } from '../../src/scheduler/worker';
import { createDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestDatabase } from '../support/db';
import { FakeSlackApi } from '../support/fakeSlackApi';
import { slashCommandBody, signRequest, TEST_SIGNING_SECRET } from '../support/slackSigning';
import { proposeTestUseCase } from '../support/usecases';
import { addPerson } from '../channels/slack/support/harness';
import { slashCommand } from '../channels/slack/support/payloads';

jest.setTimeout(60_000);

type Line = { msg: string; reqId?: string; level: number; component?: string; [k: string]: unknown };
const lines: Line[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Line);
    done();
  },
});
const logger = createLogger({ level: 'debug', env: 'test', pretty: false, destination: sink });

const db = useTestDatabase();
const fake = new FakeSlackApi();
let ctx: AppContext;
let channel: SlackChannel;
let worker: Worker;
let server: Server;
let url: string;
let useCaseKey: string;

beforeAll(async () => {
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
  const who = await addPerson({ ctx } as never, { id: 'rid-pm', slackUserId: 'URID', roles: ['llm_product_manager'] });
  useCaseKey = (await proposeTestUseCase(ctx, who.id, 'minimal', { title: 'Request id summariser' })).key;
  await fake.start();
  channel = createSlackChannel({
    // What these tests check must not depend on how loaded the machine is: the saturated-loop floor is tested in busy.test.ts.
    busy: { maxLoopUtilization: 1 },
    ctx,
    conversation: createConversation({ ctx }),
    config: { signingSecret: TEST_SIGNING_SECRET, botToken: 'xoxb-rid', socketMode: false, botId: 'BBOT', botUserId: 'UBOT', incidentChannel: 'C0INCIDENTS' },
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  const deliveries = createDeliveryRepository(db.conn);
  await deliveries.init();
  const router = new CompositeNotifier(ctx.repos.people).register('slack', channel.notifier);
  worker = await startWorker(ctx, { router, deliveries, jobs: [], logger, dispatchEveryMs: 100, sweepReactionsOnStart: false });
  server = createHttpApp({ logger, readiness: async () => null, mounts: [{ path: '/', handler: channel.router }] }).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await worker?.stop();
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
  await fake.stop();
});

async function post(body: string, requestId?: string): Promise<{ status: number; header: string | null }> {
  const { headers } = signRequest(body);
  const res = await fetch(url, { method: 'POST', headers: { ...headers, ...(requestId ? { 'X-Request-Id': requestId } : {}) }, body });
  await res.text();
  return { status: res.status, header: res.headers.get('x-request-id') };
}

async function until<T>(check: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("one command's id is in the ack log, the command's work log and the delivery log", async () => {
  fake.expect('chat.postMessage').expect('conversations.open');
  const id = 'steward-test-0001-incident';
  const body = slashCommandBody(slashCommand({ user_id: 'URID', text: `incident ${useCaseKey} sev2 the assistant quoted a customer's address`, response_url: fake.responseUrl('rid') }));
  const res = await post(body, id);
  expect(res).toEqual({ status: 200, header: id });

  const mine = () => lines.filter((l) => l.reqId === id);
  // The ack: the request line, answered 200 on the Slack route.
  const ack = await until(() => mine().find((l) => l.msg === 'request'), 'the ack log line');
  expect(ack).toMatchObject({ req: { method: 'POST', path: '/slack/events' }, res: { status: 200 } });
  // The work after the ack (identity, claim, conversation, reply).
  const work = await until(() => mine().find((l) => l.msg === 'slack command handled'), 'the command work log line');
  expect(work).toMatchObject({ verb: 'incident', actorId: 'rid-pm' });
  // The incident's channel message, queued by that work and sent later by the worker's dispatcher.
  const delivery = await until(() => mine().find((l) => l.msg === 'delivery sent' && String(l.delivery).endsWith(':channel')), 'the delivery log line');
  expect(delivery).toMatchObject({ outcome: 'sent', channels: expect.arrayContaining(['slack']) });
  expect(fake.callsOf('chat.postMessage').some((c) => c.args.channel === 'C0INCIDENTS')).toBe(true);
  // The outbox record carries the id, so a delivery retried hours later still logs it.
  const stored = await db.conn.db!.collection('deliveries').findOne({ _id: delivery.delivery as never });
  expect(stored?.requestId).toBe(id);
  // Outgoing Web API calls log with it too (the WebClient's lines, through boltLogger).
  expect(mine().some((l) => l.component === 'slack' && l.level === 20 && /chat\.postMessage/.test(l.msg))).toBe(true);
  // The ack line was written before the work's line, and the delivery after both.
  expect(lines.indexOf(ack)).toBeLessThan(lines.indexOf(delivery));
});

it('a request without an id, or with a malformed one, gets a new one; ids never mix between requests', async () => {
  const first = await post(slashCommandBody(slashCommand({ user_id: 'URID', text: 'help', response_url: fake.responseUrl('h1') })));
  const second = await post(slashCommandBody(slashCommand({ user_id: 'URID', text: 'help', response_url: fake.responseUrl('h2') })), 'not a valid id; spaces');
  for (const r of [first, second]) expect(r.header).toMatch(/^[0-9a-f-]{36}$/);
  expect(first.header).not.toBe(second.header);
  for (const r of [first, second]) {
    const work = await until(() => lines.find((l) => l.reqId === r.header && l.msg === 'slack command handled'), `the work line of ${r.header}`);
    expect(work.verb).toBe('help');
  }
  expect(lines.some((l) => l.reqId === 'not a valid id; spaces')).toBe(false);
});
