/**
 * Teams with real Bot Framework tokens: the real CloudAdapter checks RS256 channel tokens
 * against a loopback OpenID/JWKS stand-in (test/support/fakeBotOpenId.ts). Forged tokens get
 * 401 in the project's error shape with one log line and no key material anywhere; a genuine
 * token from a tenant not in the allow-list gets 403 before any member lookup or write.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createTeamsChannel } from '../../src/channels/teams';
import { createConversation } from '../../src/conversation/handlers';
import { createHttpApp } from '../../src/http/app';
import { silentLogger } from '../../src/logger';
import { useTestContext } from '../support/context';
import { FakeBotConnector } from '../support/fakeBotConnector';
import { FakeBotOpenId, NoTokenCredentials } from '../support/fakeBotOpenId';
import { registerTestPerson } from '../support/people';
import { personalMessage, TENANT_ID } from '../channels/teams/support/activities';
import { countAll, newSender } from '../channels/teams/support/harness';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const APP_PASSWORD = 'app-password-known-to-the-attacker';
const OTHER_TENANT = '0b0b0b0b-1111-4222-8333-444444444444';

const t = useTestContext();
const connector = new FakeBotConnector();
const openId = new FakeBotOpenId();
const logLines: string[] = [];
/** Everything printed through console.* or written to stdout/stderr while the file runs. */
const printed: string[] = [];
let server: Server;
let url = '';

beforeAll(async () => {
  // Spies first: whatever the channel lets through to the console is recorded here.
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  await connector.start();
  await openId.start();
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const channel = createTeamsChannel({
    ctx: t.ctx,
    conversation: createConversation({ ctx: t.ctx }),
    config: { appId: APP_ID, appPassword: APP_PASSWORD, appType: 'MultiTenant', allowedTenants: [TENANT_ID] },
    logger,
    production: true,
    authOverrides: { settings: openId.settings(), credentials: new NoTokenCredentials(APP_ID) },
  });
  server = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/api/messages', handler: channel.handler }] }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
});

afterAll(async () => {
  jest.restoreAllMocks();
  server?.closeAllConnections();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await connector.stop();
  await openId.stop();
});

afterEach(() => {
  expect(connector.unexpected).toEqual([]);
  connector.reset();
});

async function post(activity: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A sender whose Microsoft 365 member record carries a registered person's email. */
async function senderMatching(email: string) {
  const sender = newSender();
  connector.members.set(sender.id, { id: sender.id, aadObjectId: sender.aadObjectId, email, name: 'Someone' });
  return sender;
}

const claimsFor = () => ({ aud: APP_ID, serviceurl: connector.serviceUrl });
const keyMaterial = () => {
  const pemBody = openId.publicPem.split('\n').filter((l) => l && !l.startsWith('-----'));
  return ['BEGIN RSA PUBLIC KEY', 'BEGIN PUBLIC KEY', ...pemBody.slice(0, 3)];
};
const refusalLines = () => logLines.filter((l) => l.includes('teams request refused'));

describe('Teams tokens', () => {
  it('a genuine channel token from an allowed tenant is served: the person is found by email and answered', async () => {
    const person = await registerTestPerson(t.ctx, ['domain_expert'], 'Genuine Sender');
    const sender = await senderMatching(person.email!);
    const res = await post(personalMessage(connector.serviceUrl, sender, 'whoami'), openId.token(claimsFor()));
    expect(res.status).toBe(200);
    expect(connector.callsOf('getMember')).toHaveLength(1);
    expect(connector.delivered().length).toBeGreaterThan(0);
    expect((await t.ctx.repos.people.findById(person.id))?.teamsAadObjectId).toBe(sender.aadObjectId);
  });

  const forgeries: Array<[string, () => string]> = [
    ['HS256 signed with the app password', () => openId.hs256WithPassword(claimsFor(), APP_PASSWORD)],
    ['a foreign RSA key reusing the published key id', () => openId.foreignKey(claimsFor())],
    ['an expired token', () => openId.token({ ...claimsFor(), expiresIn: -3600 })],
    ['a token for another bot', () => openId.token({ ...claimsFor(), aud: '99999999-2222-4333-8444-555555555555' })],
  ];
  it.each(forgeries)('%s: 401 in the error shape, one log line, no key material printed, nothing done', async (_name, forge) => {
    const person = await registerTestPerson(t.ctx, ['ai_coe_admin'], 'Forgery Target');
    const sender = await senderMatching(person.email!);
    const before = await countAll(t);
    const linesBefore = refusalLines().length;
    const printedBefore = printed.length;

    const res = await post(personalMessage(connector.serviceUrl, sender, 'whoami'), forge());

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'teams.unauthorized', message: 'The request does not carry a valid Bot Framework token.' } });
    expect(refusalLines().length - linesBefore).toBe(1);
    const output = [...printed.slice(printedBefore), ...logLines].join('\n');
    for (const secret of [...keyMaterial(), APP_PASSWORD]) expect(output).not.toContain(secret);
    expect(connector.calls).toHaveLength(0);
    expect(await countAll(t)).toEqual(before);
  });

  it('no token at all: 401 in the error shape', async () => {
    const res = await post(personalMessage(connector.serviceUrl, newSender(), 'help'));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('teams.unauthorized');
  });

  it('a body that is not an activity: 400 in the error shape, before any token check', async () => {
    const res = await post({ hello: 'world' }, openId.token(claimsFor()));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('teams.invalid_activity');
  });
});

describe('Teams tenants', () => {
  it('a genuine token from another tenant is refused before the member lookup: nobody is answered or linked', async () => {
    const person = await registerTestPerson(t.ctx, ['ai_coe_admin'], 'Cross Tenant Target');
    const sender = await senderMatching(person.email!);
    const activity = personalMessage(connector.serviceUrl, sender, 'whoami');
    activity.conversation.tenantId = OTHER_TENANT;
    activity.channelData.tenant.id = OTHER_TENANT;
    const before = await countAll(t);
    const lines = logLines.length;

    const res = await post(activity, openId.token(claimsFor()));

    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'teams.tenant_not_allowed', message: 'This Microsoft 365 organisation is not allowed to use this Steward.' } });
    expect(connector.calls).toHaveLength(0); // no getMember, no reply
    expect(await countAll(t)).toEqual(before);
    expect((await t.ctx.repos.people.findById(person.id))?.teamsAadObjectId).toBeUndefined();
    // Logged without personal data: the tenant, not the sender's ids, name or email.
    const logged = logLines.slice(lines).join('\n');
    expect(logged).toContain(OTHER_TENANT);
    for (const pii of [sender.id, sender.aadObjectId, person.email, 'Someone', 'whoami']) expect(logged).not.toContain(pii);
  });

  it('an activity naming no tenant, or two different ones, is refused', async () => {
    const none = personalMessage(connector.serviceUrl, newSender(), 'help');
    delete none.conversation.tenantId;
    delete none.channelData.tenant;
    expect((await post(none, openId.token(claimsFor()))).status).toBe(403);
    const mixed = personalMessage(connector.serviceUrl, newSender(), 'help');
    mixed.conversation.tenantId = OTHER_TENANT;
    expect((await post(mixed, openId.token(claimsFor()))).status).toBe(403);
    expect(connector.calls).toHaveLength(0);
  });
});
