/**
 * Fuzzing the Slack channel over signed HTTP: 1,200 seeded requests to the real Bolt app on the
 * real database (slash commands, button clicks, modal submissions, events, shortcuts, and
 * garbage), many with a field removed, nulled or of the wrong type. Expected: no HTTP 5xx, no
 * error logged, no unhandled rejection or conversation failure, and requests that are refused
 * (malformed, unsigned, or from people Steward does not know) write no record at all.
 */
import { REFUSAL_AUDIT_ACTION } from '../../src/conversation/handlers/auditRefusal';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildContext } from '../../src/app/context';
import { createSlackChannel, type SlackChannel } from '../../src/channels/slack';
import { BUSY_TEXT } from '../../src/channels/slack/busyGate';
import { BUTTON_ACTION_IDS } from '../../src/channels/slack/listeners/actions';
import { FORM_IDS } from '../../src/conversation/actions';
import { createConversation } from '../../src/conversation/handlers';
import type { AppContext } from '../../src/app/context';
import { createHttpApp } from '../../src/http/app';
import { loadPolicy } from '../../src/playbooks';
import { useTestDatabase } from '../support/db';
import { FakeSlackApi } from '../support/fakeSlackApi';
import { registerTeam, type Team } from '../support/people';
import { interactionBody, postSigned, slashCommandBody, TEST_SIGNING_SECRET } from '../support/slackSigning';
import { proposeTestUseCase } from '../support/usecases';
import { appHomeOpened, blockAction, slashCommand, viewSubmission } from '../channels/slack/support/payloads';
import { chance, commandText, mutate, oddString, pick, seeded, type Random } from './generators';

const SEED = 12_012;
const REFUSED_REQUESTS = 700;
const MIXED_REQUESTS = 500;
const BUSY_REQUESTS = 400;
const CONCURRENCY = 4;

const db = useTestDatabase();
const fake = new FakeSlackApi();
let ctx: AppContext;
let channel: SlackChannel;
let server: Server;
let url = '';
/** The same channel with its busy gate always shut: every request meets the refusal path. */
let busyServer: Server;
let busyUrl = '';
let team: Team;
const errorLogs: string[] = [];
const unexpected: unknown[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

/** Records error-level lines (pino level >= 50): a fuzz run must log none. */
const capture = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
      if (entry.level >= 50) errorLogs.push(`${entry.msg}: ${entry.err?.message ?? ''}`);
    }
    done();
  },
});

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  const logger = pino({ level: 'warn' }, capture);
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
  team = await registerTeam(ctx);
  await proposeTestUseCase(ctx, team.llm_product_manager!.id, 'minimal', { title: 'Fuzz target' });
  await fake.start();
  // Every method Steward may call answers as Slack would; users.info knows only strangers.
  for (const m of ['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'conversations.open', 'views.open', 'views.publish', 'views.update', 'views.push', 'auth.test']) fake.expect(m);
  fake.expect('users.info', (args) => ({ user: { id: args.user, profile: { email: `stranger-${String(args.user).toLowerCase()}@example.org` } } }));
  channel = createSlackChannel({
    // What these tests check must not depend on how loaded the machine is: the saturated-loop floor is tested in busy.test.ts.
    busy: { maxLoopUtilization: 1 },
    ctx,
    conversation: createConversation({ ctx, onUnexpectedError: (e) => unexpected.push(e) }),
    config: { signingSecret: TEST_SIGNING_SECRET, botToken: 'xoxb-test-token', socketMode: false, incidentChannel: 'C0INC', governanceChannel: 'C0GOV', botId: 'BBOT', botUserId: 'UBOT' },
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  const app = createHttpApp({ logger, readiness: async () => null, mounts: [{ path: '/', handler: channel.router }] });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const busyChannel = createSlackChannel({
    busy: { floor: 0, loopUtilization: () => 1 },
    maxInFlight: 1,
    ctx,
    conversation: createConversation({ ctx, onUnexpectedError: (e) => unexpected.push(e) }),
    config: { signingSecret: TEST_SIGNING_SECRET, botToken: 'xoxb-test-token', socketMode: false, incidentChannel: 'C0INC', governanceChannel: 'C0GOV', botId: 'BBOT', botUserId: 'UBOT' },
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  busyServer = createHttpApp({ logger, readiness: async () => null, mounts: [{ path: '/', handler: busyChannel.router }] }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => busyServer.once('listening', () => resolve()));
  busyUrl = `http://127.0.0.1:${(busyServer.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  busyServer?.closeAllConnections();
  await new Promise<void>((resolve) => busyServer?.close(() => resolve()));
  await fake.stop();
});

interface FuzzRequest {
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  secret?: string;
  what: string;
}

const form = (body: string, what: string): FuzzRequest => ({ body, contentType: 'application/x-www-form-urlencoded', what });
const json = (body: string, what: string): FuzzRequest => ({ body, contentType: 'application/json', what });

const GARBAGE = ['null', '[]', '{}', '0', '"x"', '{"type":"event_callback","event":null}', '{"type":"event_callback"}', '{"type":"url_verification"}', '{"event":[]}', '{"type":"block_actions"}', '{"command":5}'];
const FORM_GARBAGE = ['payload=null', 'payload=', 'payload=%7B', 'payload=%5B%5D', 'payload=%7B%22type%22%3A%22view_submission%22%7D', 'command=%2Fsteward', 'ssl_check=1', 'a=b', ''];

/** One request; `userId` decides who it comes from (a registered person or a stranger). */
function request(r: Random, userId: string, i: number): FuzzRequest {
  const responseUrl = fake.responseUrl(`fuzz-${i}`);
  const roll = r();
  let req: FuzzRequest;
  if (roll < 0.35) {
    const fields = { ...slashCommand({ user_id: userId, text: commandText(r), response_url: responseUrl }), ...(chance(r, 0.05) ? { command: pick(r, ['/deploy', '/steward2', '/STEWARD']) } : {}) };
    req = form(slashCommandBody((chance(r, 0.2) ? mutate(r, fields) : fields) as Record<string, string>), 'slash command');
  } else if (roll < 0.6) {
    const actionId = chance(r, 0.8) ? `${pick(r, BUTTON_ACTION_IDS)}${chance(r, 0.1) ? '~2' : ''}` : `steward.${oddString(r)}`;
    const value = pick(r, ['UC-1', 'APR-1', 'INC-1', '{"key":"INC-1","status":"triaged"}', '{"page":2}', oddString(r)]);
    const payload = blockAction({ userId, actionId, value, ...(chance(r, 0.8) ? { responseUrl } : { view: { id: 'V1', type: 'modal' } }) });
    req = form(interactionBody(chance(r, 0.3) ? mutate(r, payload) : payload), `block_actions ${actionId}`);
  } else if (roll < 0.75) {
    const callbackId = chance(r, 0.8) ? pick(r, FORM_IDS) : `steward.${oddString(r)}`;
    const values = { b1: { a1: { type: 'plain_text_input', value: oddString(r) } }, b2: { a2: { type: 'static_select', selected_option: { value: oddString(r) } } } };
    const payload = viewSubmission({ userId, callbackId, values, hidden: { useCaseKey: 'UC-1', approvalKey: oddString(r) } });
    req = form(interactionBody(chance(r, 0.3) ? mutate(r, payload) : payload), `view_submission ${callbackId}`);
  } else if (roll < 0.82) {
    const event = appHomeOpened(userId);
    req = json(JSON.stringify(chance(r, 0.4) ? mutate(r, event) : event), 'app_home_opened');
  } else if (roll < 0.86) {
    const shortcut = { type: pick(r, ['shortcut', 'message_action', 'block_suggestion', 'view_closed', 'dialog_submission']), callback_id: oddString(r), trigger_id: '1.2.3', user: { id: userId, team_id: 'T0001' }, team: { id: 'T0001' }, view: { id: 'V1', callback_id: 'x' }, response_url: responseUrl };
    req = form(interactionBody(chance(r, 0.3) ? mutate(r, shortcut) : shortcut), `interaction ${shortcut.type}`);
  } else if (roll < 0.93) {
    req = json(pick(r, GARBAGE), 'json garbage');
  } else {
    req = form(pick(r, FORM_GARBAGE), 'form garbage');
  }
  // Some are not signed by Slack at all: Bolt must refuse them (401), and they must write nothing.
  if (chance(r, 0.03)) req.secret = 'not-the-signing-secret';
  return req;
}

/**
 * Record and outbox collections (the per-request retry claim is not a record; nor is the audit
 * entry of a refused decision, the one write a refusal makes).
 */
async function recordCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of await db.conn.db!.listCollections().toArray()) {
    if (c.name === 'claims') continue;
    const n = await db.conn.db!.collection(c.name).countDocuments(c.name === 'history' ? { action: { $ne: REFUSAL_AUDIT_ACTION } } : {});
    if (n > 0) out[c.name] = n;
  }
  return out;
}

async function run(requests: FuzzRequest[], target = url): Promise<Array<{ status: number; what: string; i: number; text: string }>> {
  const results: Array<{ status: number; what: string; i: number; text: string }> = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const req = requests[i]!;
      const res = await postSigned(target, req.body, { contentType: req.contentType, ...(req.secret ? { secret: req.secret } : {}) });
      results.push({ status: res.status, what: req.what, i, text: res.text });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

/** Work after the ack goes on after the HTTP answer: wait until the database stops changing. */
async function settled(): Promise<Record<string, number>> {
  let last = JSON.stringify(await recordCounts());
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = JSON.stringify(await recordCounts());
    if (now === last) return JSON.parse(now);
    last = now;
  }
  return JSON.parse(last);
}

function expectClean(results: Array<{ status: number; what: string; i: number }>) {
  const serverErrors = results.filter((x) => x.status >= 500);
  expect(serverErrors.map((x) => `#${x.i} ${x.what}: ${x.status}`)).toEqual([]);
  expect(errorLogs).toEqual([]);
  expect(unhandled.map(String)).toEqual([]);
  expect(unexpected.map((e) => (e instanceof Error ? e.message : String(e)))).toEqual([]);
}

it(`${REFUSED_REQUESTS} requests from strangers, malformed or unsigned: no 5xx, no error, nothing written`, async () => {
  const r = seeded(SEED);
  const before = await settled();
  const requests = Array.from({ length: REFUSED_REQUESTS }, (_, i) => request(r, `UFZ${String(i).padStart(6, '0')}`, i));
  const started = performance.now();
  const results = await run(requests);
  const after = await settled();
  expectClean(results);
  expect(after).toEqual(before);
  // Malformed bodies are told so (400), unsigned ones refused (401); the rest acknowledged.
  expect(results.filter((x) => x.status === 400).length).toBeGreaterThan(20);
  expect(results.filter((x) => x.status === 401).length).toBeGreaterThan(5);
  expect(performance.now() - started).toBeLessThan(120_000);
}, 180_000);

it(`${MIXED_REQUESTS} requests from registered people, many mutated: no 5xx, no error, no unhandled failure`, async () => {
  const r = seeded(SEED + 1);
  const people = Object.values(team).filter((p) => p.slackUserId);
  const requests = Array.from({ length: MIXED_REQUESTS }, (_, i) => request(r, pick(r, people).slackUserId!, REFUSED_REQUESTS + i));
  const before = await settled();
  const started = performance.now();
  const results = await run(requests);
  const after = await settled();
  expectClean(results);
  // The fuzz reaches the domain: some of these commands and clicks did change records.
  expect(after).not.toEqual(before);
  expect(performance.now() - started).toBeLessThan(120_000);
}, 180_000);

/** Every collection, claims and refusal audits included: a busy answer writes nothing at all. */
async function allCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of await db.conn.db!.listCollections().toArray()) out[c.name] = await db.conn.db!.collection(c.name).countDocuments({});
  return out;
}

it(`${BUSY_REQUESTS} requests, many mutated, met by the busy gate: each answered, no error, nothing written`, async () => {
  // The gate reads the body before any listener's schema has: a mutated view (blocks not a
  // list, null entries) once threw there under load, and the request went unacknowledged.
  const r = seeded(SEED + 2);
  const people = Object.values(team).filter((p) => p.slackUserId);
  const requests = Array.from({ length: BUSY_REQUESTS }, (_, i) => request(r, pick(r, people).slackUserId!, REFUSED_REQUESTS + MIXED_REQUESTS + i));
  await settled();
  const before = await allCounts();
  const results = await run(requests, busyUrl);
  await settled();
  expectClean(results);
  expect(await allCounts()).toEqual(before);
  // Commands are told at once in the ack, forms on their first input.
  const told = (what: string) => results.filter((x) => x.what.startsWith(what) && x.status === 200 && x.text.includes(BUSY_TEXT)).length;
  expect(told('slash command')).toBeGreaterThan(50);
  expect(told('view_submission')).toBeGreaterThan(10);
}, 180_000);
