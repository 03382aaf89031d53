/**
 * Bounded work after the ack (src/channels/slack/busyGate.ts), on the real Bolt receiver fed
 * signed HTTP. With a limit of 2, two commands whose replies hang (a response_url that holds its
 * answer) fill the process; a third command is answered "Steward is busy" in the ack itself and
 * nothing of it starts (no claim written, no reply posted); a button gets the same notice at its
 * response_url, a form an error on its first input. Once the two finish, the next command is served normally again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildContext, type AppContext } from '../../../src/app/context';
import { createSlackChannel, type SlackChannel } from '../../../src/channels/slack';
import { BUSY_TEXT } from '../../../src/channels/slack/busyGate';
import { loadConfig } from '../../../src/config';
import { commandKey } from '../../../src/channels/slack/idempotency';
import { APPROVE_ACTION_ID, INTAKE_FORM_ID } from '../../../src/conversation/actions';
import { createConversation } from '../../../src/conversation/handlers';
import { createHttpApp } from '../../../src/http/app';
import { silentLogger } from '../../../src/logger';
import { registry } from '../../../src/observability/metrics';
import { loadPolicy } from '../../../src/playbooks';
import { useTestDatabase } from '../../support/db';
import { FakeSlackApi } from '../../support/fakeSlackApi';
import { interactionBody, postSigned, slashCommandBody, TEST_SIGNING_SECRET } from '../../support/slackSigning';
import { addPerson } from './support/harness';
import { blockAction, slashCommand, viewSubmission } from './support/payloads';

jest.setTimeout(60_000);

/** A response_url that holds every POST until released: the work after the ack stays in flight. */
class HoldingResponseUrl {
  readonly held: Array<{ path: string; body: string; res: ServerResponse }> = [];
  private server?: Server;
  base = '';
  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => this.held.push({ path: req.url ?? '', body, res }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  url(id: string): string {
    return `${this.base}/commands/${id}`;
  }
  releaseAll(): void {
    for (const h of this.held.splice(0)) h.res.writeHead(200).end('ok');
  }
  async stop(): Promise<void> {
    this.releaseAll();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

const db = useTestDatabase();
const fake = new FakeSlackApi();
const holding = new HoldingResponseUrl();
let ctx: AppContext;
let channel: SlackChannel;
let url: string;

async function waitFor<T>(check: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function busyRefusals(kind: string): Promise<number> {
  const m = (await registry.getSingleMetric('steward_slack_busy_refusals_total')!.get()).values.find((v) => v.labels.kind === kind);
  return m?.value ?? 0;
}

/** A Slack channel on its own HTTP server, sending its replies to `holding`. */
async function openChannel(opts: Pick<Parameters<typeof createSlackChannel>[0], 'maxInFlight' | 'busy'>): Promise<{ server: Server; url: string }> {
  channel = createSlackChannel({
    ctx,
    conversation: createConversation({ ctx }),
    config: { signingSecret: TEST_SIGNING_SECRET, botToken: 'xoxb-busy', socketMode: false, botId: 'BBOT', botUserId: 'UBOT' },
    logger: silentLogger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    ...opts,
  });
  const s = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/', handler: channel.router }] }).listen(0, '127.0.0.1');
  servers.push(s);
  await new Promise<void>((r) => s.once('listening', () => r()));
  return { server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/slack/events` };
}
const servers: Server[] = [];

beforeAll(async () => {
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
  await addPerson({ ctx } as never, { id: 'busy-pm', slackUserId: 'UBUSY', roles: ['llm_product_manager'] });
  await fake.start();
  await holding.start();
  // A loop that never counts as saturated: this first test is about the fixed limit alone.
  ({ url } = await openChannel({ maxInFlight: 2, busy: { loopUtilization: () => 0 } }));
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await holding.stop();
  await fake.stop();
});

it('refuses at the limit with an immediate "busy" and starts nothing, then recovers once work finishes', async () => {
  const command = (id: string) => slashCommand({ user_id: 'UBUSY', text: 'help', response_url: holding.url(id) });

  // Two commands fill the limit: acked empty, their replies held at the response_url.
  const a = command('a');
  const b = command('b');
  for (const c of [a, b]) {
    const res = await postSigned(url, slashCommandBody(c));
    expect(res).toMatchObject({ status: 200, text: '' });
  }
  await waitFor(() => holding.held.length === 2, 'both replies to be in flight');
  const refusedBefore = await busyRefusals('command');

  // The third is refused in its ack: an ephemeral "busy", at once.
  const c = command('c');
  const refused = await postSigned(url, slashCommandBody(c));
  expect(refused.status).toBe(200);
  expect(refused.ms).toBeLessThan(1000);
  expect(JSON.parse(refused.text)).toEqual({ response_type: 'ephemeral', text: BUSY_TEXT });
  expect(await busyRefusals('command')).toBe(refusedBefore + 1);

  // A button at the limit: a plain ack, then the same notice at its response_url (not replacing the message).
  const click = blockAction({ userId: 'UBUSY', actionId: APPROVE_ACTION_ID, value: 'APR-1', responseUrl: fake.responseUrl('click') });
  const clicked = await postSigned(url, interactionBody(click));
  expect(clicked).toMatchObject({ status: 200, text: '' });
  const [notice] = await fake.waitForResponseUrl(1, 5000);
  expect(notice!.id).toBe('click');
  expect(notice!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(JSON.stringify(notice!.body)).toContain(BUSY_TEXT);

  // A form at the limit stays open, the notice on its first input (what was typed is kept).
  const form = viewSubmission({
    userId: 'UBUSY',
    callbackId: INTAKE_FORM_ID,
    values: {},
    opened: { blocks: [{ type: 'section', block_id: 'intro', text: { type: 'mrkdwn', text: 'x' } }, { type: 'input', block_id: 'title_in', label: { type: 'plain_text', text: 'Title' }, element: { type: 'plain_text_input', action_id: 'v' } }] },
  });
  const submitted = await postSigned(url, interactionBody(form));
  expect(submitted.status).toBe(200);
  expect(JSON.parse(submitted.text)).toEqual({ response_action: 'errors', errors: { title_in: BUSY_TEXT } });

  // Nothing of the refused requests started: no retry claim, no reply, no Web API call.
  await new Promise((r) => setTimeout(r, 300));
  const claims = ctx.conn.db!.collection('claims');
  expect(await claims.countDocuments({ _id: commandKey(c.trigger_id!) as never })).toBe(0);
  expect(await claims.countDocuments({ _id: commandKey(a.trigger_id!) as never })).toBe(1);
  // Both admitted commands are held (in whichever order their work reached the fake).
  expect(holding.held.map((h) => h.path).sort()).toEqual(['/commands/a', '/commands/b']);
  // (auth.test is the workspace gate's one lookup of the bot's own team, made for the first request.)
  expect(fake.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);

  // Events at the limit: an ordinary one is dropped, but an uninstall is never (Slack does not
  // send it again once acknowledged); in single-token mode it is audited.
  const event = (type: string, id: string) =>
    postSigned(url, JSON.stringify({ token: 'x', team_id: 'T0001', api_app_id: 'A1', type: 'event_callback', event_id: id, event_time: 1, event: { type, user: 'UBUSY', channel: 'C1', text: 'hi', ts: '1.1' } }), { contentType: 'application/json' });
  const eventsRefused = await busyRefusals('event');
  expect((await event('app_mention', 'EvBUSYMENTION')).status).toBe(200);
  expect(await busyRefusals('event')).toBe(eventsRefused + 1);
  expect((await event('app_uninstalled', 'EvBUSYUNINST')).status).toBe(200);
  const uninstalls = async () => {
    let n = 0;
    for await (const e of ctx.repos.audit.all()) if (e.action === 'slack.app_uninstalled') n++;
    return n;
  };
  for (let i = 0; i < 100 && (await uninstalls()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(await uninstalls()).toBe(1);
  expect(await busyRefusals('event')).toBe(eventsRefused + 1);

  // The two finish: the next command is served as usual.
  holding.releaseAll();
  const d = command('d');
  let served: { status: number; text: string } | undefined;
  for (let i = 0; i < 40 && !served; i++) {
    const res = await postSigned(url, slashCommandBody(d));
    if (res.text === '') served = res;
    else await new Promise((r) => setTimeout(r, 50)); // the two may still be finishing their last await
  }
  expect(served).toMatchObject({ status: 200, text: '' });
  const reply = await waitFor(() => holding.held.find((h) => h.path === '/commands/d'), 'the reply to d');
  expect(reply.body).toContain('response_type');
  holding.releaseAll();
});

it('while the event loop is saturated, only the floor is admitted; the full limit applies again once it is not', async () => {
  let utilization = 0.95;
  const saturable = await openChannel({ maxInFlight: 3, busy: { floor: 1, maxLoopUtilization: 0.8, loopUtilization: () => utilization } });
  const send = (id: string) => postSigned(saturable.url, slashCommandBody(slashCommand({ user_id: 'UBUSY', text: 'help', response_url: holding.url(id) })));
  const accepted = (res: { status: number; text: string }) => res.status === 200 && res.text === '';
  const busy = (res: { status: number; text: string }) => res.status === 200 && JSON.parse(res.text || '{}').text === BUSY_TEXT;

  // Saturated: the first is admitted (the floor), the second refused at once.
  expect(accepted(await send('s1'))).toBe(true);
  await waitFor(() => holding.held.some((h) => h.path === '/commands/s1'), 's1 in flight');
  expect(busy(await send('s2'))).toBe(true);

  // The loop quiet again: up to the limit of 3, then busy.
  utilization = 0.2;
  expect(accepted(await send('s3'))).toBe(true);
  expect(accepted(await send('s4'))).toBe(true);
  await waitFor(() => ['s3', 's4'].every((id) => holding.held.some((h) => h.path === `/commands/${id}`)), 's3 and s4 in flight');
  expect(busy(await send('s5'))).toBe(true);
  // The refused ones started nothing.
  expect(holding.held.map((h) => h.path).sort()).toEqual(['/commands/s1', '/commands/s3', '/commands/s4']);
  holding.releaseAll();
});

it('SLACK_BUSY_LOOP_UTILIZATION=1 turns the floor off: a saturated loop still admits up to the limit', async () => {
  const config = loadConfig({ SLACK_BUSY_LOOP_UTILIZATION: '1', SLACK_BUSY_FLOOR: '1' });
  const never = await openChannel({ maxInFlight: 2, busy: { ...config.slackBusy, loopUtilization: () => 1 } });
  const send = (id: string) => postSigned(never.url, slashCommandBody(slashCommand({ user_id: 'UBUSY', text: 'help', response_url: holding.url(id) })));
  expect(await send('n1')).toMatchObject({ status: 200, text: '' });
  expect(await send('n2')).toMatchObject({ status: 200, text: '' });
  await waitFor(() => ['n1', 'n2'].every((id) => holding.held.some((h) => h.path === `/commands/${id}`)), 'n1 and n2 in flight');
  expect(JSON.parse((await send('n3')).text)).toEqual({ response_type: 'ephemeral', text: BUSY_TEXT });
  holding.releaseAll();
});
