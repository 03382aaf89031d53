/**
 * Multi-workspace Slack over the real Bolt receiver and the real database: a workspace is
 * installed through /slack/install and /slack/oauth_redirect (Slack's oauth.v2.access answered
 * by the fake Web API over HTTP), its installation is stored encrypted, and its requests are
 * answered with its own token, as are Steward's own messages to its people. An Enterprise Grid
 * org-wide install answers for every workspace of the organisation.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildContext } from '../../../src/app/context';
import { createSlackChannel, type SlackChannel } from '../../../src/channels/slack';
import { SLACK_BOT_SCOPES } from '../../../src/channels/slack/oauth/scopes';
import { tokenCipher } from '../../../src/channels/slack/oauth/tokenCipher';
import { createConversation } from '../../../src/conversation/handlers';
import { createHttpApp } from '../../../src/http/app';
import { silentLogger } from '../../../src/logger';
import { loadPolicy } from '../../../src/playbooks';
import { MongoSlackInstallationRepository } from '../../../src/store/slackInstallations.repo';
import { TestClock } from '../../support/clock';
import { useTestDatabase } from '../../support/db';
import { fixtureChange } from '../../support/changes';
import { type ApiCall, FakeSlackApi } from '../../support/fakeSlackApi';
import { postSigned, slashCommandBody, TEST_SIGNING_SECRET } from '../../support/slackSigning';
import { fixture, triggerId } from './support/payloads';

const db = useTestDatabase();
const fake = new FakeSlackApi();
const ENCRYPTION_KEY = 'k'.repeat(16) + 'e'.repeat(16) + 'y'.repeat(8);
const STATE_SECRET = 's'.repeat(40);
const CLIENT = { id: '111.222', secret: 'client-secret-xyz' };

/** What Slack's oauth.v2.access returns for each code (a workspace, another one, an org). */
const GRANTS: Record<string, Record<string, unknown>> = {
  'code-A': { team: { id: 'T0AAA', name: 'A' }, enterprise: null, access_token: 'xoxb-token-A', bot_user_id: 'UBOTA', is_enterprise_install: false },
  'code-B': { team: { id: 'T0BBB', name: 'B' }, enterprise: null, access_token: 'xoxb-token-B', bot_user_id: 'UBOTB', is_enterprise_install: false },
  'code-ORG': { team: null, enterprise: { id: 'E0ORG', name: 'Org' }, access_token: 'xoxb-token-ORG', bot_user_id: 'UBOTO', is_enterprise_install: true },
};

function answerSlack(): void {
  fake.expect('oauth.v2.access', (args) => ({
    app_id: 'A123456',
    scope: SLACK_BOT_SCOPES.join(','),
    token_type: 'bot',
    authed_user: { id: 'UINSTALLER' },
    ...GRANTS[String(args.code)],
  }));
  // The install looks up the bot id with the new token (and an org's URL).
  fake.expect('auth.test', (_args, call) => ({ bot_id: `B-${call.token}`, user_id: 'UBOT', url: 'https://org.enterprise.example.com/' }));
  fake.expect('users.info', (args) => ({ user: { id: args.user, deleted: false, is_bot: false, profile: { email: `${String(args.user).toLowerCase()}@nowhere.example` } } }));
  fake.expect('conversations.open');
  fake.expect('chat.postMessage');
}

let server: Server;
let base = '';
let channel: SlackChannel;
let ctx: Awaited<ReturnType<typeof buildContext>>;

function startChannel(allowedTeams?: string[]) {
  return createSlackChannel({
    // What these tests check must not depend on how loaded the machine is: the saturated-loop floor is tested in busy.test.ts.
    busy: { maxLoopUtilization: 1 },
    ctx,
    conversation: createConversation({ ctx }),
    config: {
      signingSecret: TEST_SIGNING_SECRET,
      socketMode: false,
      incidentChannel: 'C0INCIDENTS',
      oauth: { clientId: CLIENT.id, clientSecret: CLIENT.secret, stateSecret: STATE_SECRET, tokenEncryptionKey: ENCRYPTION_KEY, homeTeam: 'T0AAA' },
      ...(allowedTeams ? { allowedTeams } : {}),
    },
    logger: silentLogger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
}

async function serve(ch: SlackChannel): Promise<{ server: Server; base: string }> {
  const app = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/', handler: ch.router }] });
  const s = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => s.once('listening', () => resolve()));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

async function close(s: Server): Promise<void> {
  s.closeAllConnections();
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

/** A person's browser going through the install: Steward's page, Slack's consent, back. */
async function install(at: string, code: string): Promise<{ status: number; html: string; authorizeUrl: URL }> {
  const start = await fetch(`${at}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorizeUrl = new URL(start.headers.get('location')!);
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const state = authorizeUrl.searchParams.get('state')!;
  const back = await fetch(`${at}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  return { status: back.status, html: await back.text(), authorizeUrl };
}

/** A signed /steward command from a user of a workspace (optionally of an org-wide install). */
async function command(at: string, o: { team: string; user: string; enterprise?: string; orgInstall?: boolean; id: string }) {
  const body = {
    ...fixture<Record<string, string>>('slash_command'),
    team_id: o.team,
    enterprise_id: o.enterprise ?? '',
    is_enterprise_install: String(Boolean(o.orgInstall)),
    user_id: o.user,
    text: 'help',
    trigger_id: triggerId(),
    response_url: fake.responseUrl(o.id),
  };
  return postSigned(`${at}/slack/events`, slashCommandBody(body));
}

const tokenOf = (calls: ApiCall[], user: string) => calls.find((c) => c.args.user === user || c.args.users === user)?.token;

beforeAll(async () => {
  await fake.start();
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy(), clock: new TestClock() });
  channel = startChannel();
  ({ server, base } = await serve(channel));
});
afterAll(async () => {
  await channel.stop();
  await close(server);
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  answerSlack();
});

describe('Slack OAuth installs', () => {
  it('the install page sends the browser to Slack with the client id, the bot scopes and a signed state', async () => {
    const res = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.pathname).toBe('/oauth/v2/authorize');
    expect(to.searchParams.get('client_id')).toBe(CLIENT.id);
    expect(to.searchParams.get('scope')!.split(',')).toEqual([...SLACK_BOT_SCOPES]);
    expect(to.searchParams.get('state')).toBeTruthy();
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  });

  it('the scopes asked for are the manifest\'s', () => {
    const manifest = parse(readFileSync(path.resolve(__dirname, '../../../manifests/slack/manifest.yaml'), 'utf8'));
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(manifest.oauth_config.redirect_urls[0]).toMatch(/\/slack\/oauth_redirect$/);
  });

  it('installs a workspace end to end: oauth.v2.access over HTTP, the installation stored with its token encrypted', async () => {
    const r = await install(base, 'code-A');
    expect(r.status).toBe(200);
    const access = fake.callsOf('oauth.v2.access');
    expect(access).toHaveLength(1);
    expect(access[0]!.args).toMatchObject({ code: 'code-A', client_id: CLIENT.id, client_secret: CLIENT.secret });
    const docs = await db.conn.db!.collection('slack_installations').find({ key: 'team:T0AAA' }).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ teamId: 'T0AAA', version: 1, removed: false });
    // The token is nowhere in clear in the database.
    expect(JSON.stringify(docs)).not.toContain('xoxb-token-A');
    expect(JSON.parse(tokenCipher(ENCRYPTION_KEY).open(docs[0]!.sealed, 'team:T0AAA')).bot.token).toBe('xoxb-token-A');
  });

  it('a state that was not issued (or lacks its cookie) installs nothing', async () => {
    const before = await db.conn.db!.collection('slack_installations').countDocuments();
    const forged = await fetch(`${base}/slack/oauth_redirect?code=code-B&state=forged`, { redirect: 'manual' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(fake.callsOf('oauth.v2.access')).toHaveLength(0);
    expect(await db.conn.db!.collection('slack_installations').countDocuments()).toBe(before);
  });

  it('answers each installed workspace with its own token', async () => {
    await install(base, 'code-B');
    fake.reset();
    answerSlack();
    const a = await command(base, { team: 'T0AAA', user: 'UALICE', id: 'a' });
    const b = await command(base, { team: 'T0BBB', user: 'UBOB', id: 'b' });
    expect([a.status, b.status]).toEqual([200, 200]);
    // An unknown user is looked up in their own workspace (then told they are not registered).
    const infos = await fake.waitForCall('users.info', 2);
    expect(tokenOf(infos, 'UALICE')).toBe('xoxb-token-A');
    expect(tokenOf(infos, 'UBOB')).toBe('xoxb-token-B');
    await fake.waitForResponseUrl(2);
  });

  it('Steward\'s own messages go out with the token of the recipient\'s workspace; channels with the home team\'s', async () => {
    const bob = (await ctx.repos.people.create({ id: 'bob', name: 'Bob', email: 'bob@b.example', roles: ['requester'], slackUserId: 'UBOB', createdAt: new Date() }, fixtureChange())).record;
    await channel.notifier.send({ key: 'oauth-test-dm', to: { personId: bob.id }, text: 'A reminder', card: undefined });
    await channel.notifier.send({ key: 'oauth-test-channel', to: { channel: 'incidents' }, text: 'An incident', card: undefined });
    expect(fake.callsOf('conversations.open')[0]!.token).toBe('xoxb-token-B');
    const posts = fake.callsOf('chat.postMessage');
    expect(posts.map((p) => [p.args.channel, p.token])).toEqual([
      ['DBOB', 'xoxb-token-B'],
      ['C0INCIDENTS', 'xoxb-token-A'],
    ]);
  });

  it('an Enterprise Grid org-wide install answers for any workspace of the organisation', async () => {
    expect((await install(base, 'code-ORG')).status).toBe(200);
    const docs = await db.conn.db!.collection('slack_installations').find({ key: 'enterprise:E0ORG' }).toArray();
    expect(docs).toHaveLength(1);
    fake.reset();
    answerSlack();
    const r = await command(base, { team: 'T0GRID7', enterprise: 'E0ORG', orgInstall: true, user: 'WCAROL', id: 'c' });
    expect(r.status).toBe(200);
    const infos = await fake.waitForCall('users.info');
    expect(tokenOf(infos, 'WCAROL')).toBe('xoxb-token-ORG');
  });

  it('a workspace that never installed Steward is not answered, and nothing is looked up', async () => {
    const r = await command(base, { team: 'T0ZZZ', user: 'UEVE', id: 'z' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsOf('users.info').filter((c) => JSON.stringify(c).includes('UEVE'))).toEqual([]);
    // Bolt finds no installation for it: the request is dropped before any listener.
    expect(r.status).toBe(200);
    // Only this request's response_url counts: the previous test's late answer may land meanwhile.
    expect(fake.responseUrlPosts.filter((p) => p.id === 'z')).toEqual([]);
    expect(await db.conn.db!.collection('slack_routes').countDocuments({ _id: 'user:UEVE' as never })).toBe(0);
  });

  it('a reinstall appends a version (unique inserts, concurrent writers both land); the latest token answers', async () => {
    const repo = new MongoSlackInstallationRepository(db.conn);
    const cipher = tokenCipher(ENCRYPTION_KEY);
    const writes = await Promise.all(
      [1, 2, 3, 4].map((n) => repo.append({ key: 'team:T0CON', teamId: 'T0CON', sealed: cipher.seal(JSON.stringify({ bot: { token: `t${n}` } }), 'team:T0CON'), removed: false, at: new Date() })),
    );
    expect(writes.map((w) => w.version).sort()).toEqual([1, 2, 3, 4]);
    expect(await db.conn.db!.collection('slack_installations').countDocuments({ key: 'team:T0CON' })).toBe(4);
    // A sealed installation moved onto another workspace's key does not open.
    const latest = (await repo.latest('team:T0CON'))!;
    expect(latest.version).toBe(4);
    expect(() => cipher.open(latest.sealed!, 'team:T0AAA')).toThrow();
    expect(() => tokenCipher('another-key-of-sufficient-length-000000').open(latest.sealed!, 'team:T0CON')).toThrow();
  });
});

describe('Slack OAuth installs with SLACK_ALLOWED_TEAMS', () => {
  it('an install from a workspace outside the list is refused and nothing is stored', async () => {
    const ch = startChannel(['T0AAA']);
    const s = await serve(ch);
    try {
      const before = await db.conn.db!.collection('slack_installations').countDocuments({ key: 'team:T0BBB' });
      const r = await install(s.base, 'code-B');
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(await db.conn.db!.collection('slack_installations').countDocuments({ key: 'team:T0BBB' })).toBe(before);
    } finally {
      await ch.stop();
      await close(s.server);
    }
  });
});
