/**
 * A workspace that uninstalls Steward (app_uninstalled) or revokes its tokens (tokens_revoked),
 * over the real Bolt receiver fed signed event_callback requests and the real database:
 * its installation is removed and audited once (team id, never a token), Slack's retry writes
 * nothing more, its next request is not served, messages queued for it are dead-lettered with
 * the reason instead of retried, and a workspace outside the allowed list cannot remove anything.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildContext } from '../../../src/app/context';
import { createSlackChannel, type SlackChannel } from '../../../src/channels/slack';
import { SLACK_LIFECYCLE_EVENTS } from '../../../src/channels/slack/listeners/events/appLifecycle';
import { revokeInstallation } from '../../../src/channels/slack/oauth/revocation';
import { SLACK_BOT_SCOPES } from '../../../src/channels/slack/oauth/scopes';
import { tokenCipher } from '../../../src/channels/slack/oauth/tokenCipher';
import { createConversation } from '../../../src/conversation/handlers';
import { verifyAudit } from '../../../src/domain/audit/verifyAudit';
import { createHttpApp } from '../../../src/http/app';
import { silentLogger } from '../../../src/logger';
import { CompositeNotifier } from '../../../src/notifications/compositeNotifier';
import { Dispatcher } from '../../../src/notifications/dispatcher';
import { loadPolicy } from '../../../src/playbooks';
import { createDeliveryRepository } from '../../../src/store/deliveries.repo';
import { MongoSlackInstallationRepository } from '../../../src/store/slackInstallations.repo';
import { TestClock } from '../../support/clock';
import { fixtureChange } from '../../support/changes';
import { useTestDatabase } from '../../support/db';
import { FakeSlackApi } from '../../support/fakeSlackApi';
import { postSigned, slashCommandBody, TEST_SIGNING_SECRET } from '../../support/slackSigning';
import { fixture, triggerId } from './support/payloads';

const db = useTestDatabase();
const fake = new FakeSlackApi();
const ENCRYPTION_KEY = 'lifecycle-key-'.padEnd(40, 'x');
const clock = new TestClock();

const GRANTS: Record<string, Record<string, unknown>> = {
  'code-A': { team: { id: 'T0AAA', name: 'A' }, access_token: 'xoxb-token-A', bot_user_id: 'UBOTA' },
  'code-B': { team: { id: 'T0BBB', name: 'B' }, access_token: 'xoxb-token-B', bot_user_id: 'UBOTB' },
  // An install that also granted the installing user a token (user scopes).
  'code-C': { team: { id: 'T0CCC', name: 'C' }, access_token: 'xoxb-token-C', bot_user_id: 'UBOTC', authed_user: { id: 'UINSTALLC', access_token: 'xoxp-user-C', scope: 'identify', token_type: 'user' } },
  'code-D': { team: { id: 'T0DDD', name: 'D' }, access_token: 'xoxb-token-D', bot_user_id: 'UBOTD' },
};

function answerSlack(): void {
  fake.expect('oauth.v2.access', (args) => ({
    app_id: 'A123456',
    scope: SLACK_BOT_SCOPES.join(','),
    token_type: 'bot',
    enterprise: null,
    is_enterprise_install: false,
    authed_user: { id: 'UINSTALLER' },
    ...GRANTS[String(args.code)],
  }));
  fake.expect('auth.test', (_args, call) => ({ bot_id: `B-${call.token}`, user_id: 'UBOT' }));
  fake.expect('users.info', (args) => ({ user: { id: args.user, deleted: false, is_bot: false, profile: { email: `${String(args.user).toLowerCase()}@nowhere.example` } } }));
  fake.expect('conversations.open');
  fake.expect('chat.postMessage');
}

let ctx: Awaited<ReturnType<typeof buildContext>>;
const running: Array<{ channel: SlackChannel; server: Server }> = [];

/** A Steward web process: its own Bolt app over HTTP on the shared database. */
async function startProcess(allowedTeams?: string[]): Promise<{ base: string; channel: SlackChannel }> {
  const channel = createSlackChannel({
    // What these tests check must not depend on how loaded the machine is: the saturated-loop floor is tested in busy.test.ts.
    busy: { maxLoopUtilization: 1 },
    ctx,
    conversation: createConversation({ ctx }),
    config: {
      signingSecret: TEST_SIGNING_SECRET,
      socketMode: false,
      oauth: { clientId: '111.222', clientSecret: 'client-secret', stateSecret: 's'.repeat(40), tokenEncryptionKey: ENCRYPTION_KEY, homeTeam: 'T0AAA' },
      ...(allowedTeams ? { allowedTeams } : {}),
    },
    logger: silentLogger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  const app = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/', handler: channel.router }] });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  running.push({ channel, server });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, channel };
}

async function install(at: string, code: string): Promise<void> {
  const start = await fetch(`${at}/slack/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const back = await fetch(`${at}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  expect(back.status).toBe(200);
}

let seq = 0;
/** A signed event_callback as Slack sends it (JSON), from the recorded payloads. */
function lifecycleEvent(type: 'app_uninstalled' | 'tokens_revoked', team: string, tokens?: { bot?: string[]; oauth?: string[] }): Record<string, any> {
  const p = fixture(type);
  p.team_id = team;
  p.event_id = `Ev0LC${++seq}`;
  if (tokens) p.event.tokens = tokens;
  return p;
}
const postEvent = (at: string, body: unknown, retryNum?: number) =>
  postSigned(`${at}/slack/events`, JSON.stringify(body), { contentType: 'application/json', ...(retryNum !== undefined ? { retryNum } : {}) });

async function command(at: string, team: string, user: string, id: string) {
  return postSigned(
    `${at}/slack/events`,
    slashCommandBody({ ...fixture<Record<string, string>>('slash_command'), team_id: team, enterprise_id: '', user_id: user, text: 'help', trigger_id: triggerId(), response_url: fake.responseUrl(id) }),
  );
}

const versions = (key: string) => db.conn.db!.collection('slack_installations').find({ key }).sort({ version: 1 }).toArray();
const auditOf = (key: string) => ctx.repos.audit.history(`log:slack-installation:${key}`);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** Events are acknowledged before their work: wait long enough for a write that must not come. */
const settle = () => new Promise((r) => setTimeout(r, 600));

let main: { base: string; channel: SlackChannel };

beforeAll(async () => {
  await fake.start();
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy(), clock });
  main = await startProcess();
});
afterAll(async () => {
  for (const r of running) {
    await r.channel.stop();
    r.server.closeAllConnections();
    await new Promise<void>((resolve) => r.server.close(() => resolve()));
  }
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  answerSlack();
});

it('the manifest subscribes to both events', () => {
  const manifest = parse(readFileSync(path.resolve(__dirname, '../../../manifests/slack/manifest.yaml'), 'utf8'));
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining([...SLACK_LIFECYCLE_EVENTS]));
});

describe('app_uninstalled', () => {
  it('removes the installation once, audits it by team id, refuses the next request and dead-letters what was queued for it', async () => {
    await install(main.base, 'code-A');
    await install(main.base, 'code-B');
    const alice = (await ctx.repos.people.create({ id: 'alice', name: 'Alice', email: 'alice@a.example', roles: ['requester'], slackUserId: 'UALICE', createdAt: new Date() }, fixtureChange())).record;
    const bob = (await ctx.repos.people.create({ id: 'bob', name: 'Bob', email: 'bob@b.example', roles: ['requester'], slackUserId: 'UBOB', createdAt: new Date() }, fixtureChange())).record;
    // Each has used Steward from their own workspace (so Steward knows where to reach them).
    await command(main.base, 'T0AAA', 'UALICE', 'alice-1');
    await command(main.base, 'T0BBB', 'UBOB', 'bob-1');
    await fake.waitForResponseUrl(2);

    // Messages for Bob wait in the outbox when his workspace uninstalls Steward.
    const deliveries = createDeliveryRepository(db.conn);
    const queued = ['reminder-1', 'reminder-2'].map((key) => ({ key: `lifecycle:${key}`, to: { personId: bob.id }, text: `A ${key}`, card: undefined }));
    await deliveries.enqueueMany([...queued, { key: 'lifecycle:alice', to: { personId: alice.id }, text: 'For Alice', card: undefined }], clock.now());

    const event = lifecycleEvent('app_uninstalled', 'T0BBB');
    const res = await postEvent(main.base, event);
    expect(res.status).toBe(200);
    const stored = await until('the removal', async () => {
      const v = await versions('team:T0BBB');
      return v.length === 2 && v;
    });
    expect(stored[1]).toMatchObject({ version: 2, removed: true, reason: 'app_uninstalled', eventId: event.event_id, teamId: 'T0BBB' });
    expect(stored[1]!.sealed).toBeUndefined();
    const audit = await until('the audit entry', async () => {
      const a = await auditOf('team:T0BBB');
      return a.length > 0 && a;
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'slack.installation_removed', actorId: 'system', data: { cause: 'app_uninstalled', teamId: 'T0BBB', installation: 'team:T0BBB', installationVersion: 2, eventId: event.event_id } });
    expect(JSON.stringify(audit)).not.toMatch(/xox[bp]-/);

    // Slack retries the event: nothing more is written.
    expect((await postEvent(main.base, event, 1)).status).toBe(200);
    await settle();
    expect(await versions('team:T0BBB')).toHaveLength(2);
    expect(await auditOf('team:T0BBB')).toHaveLength(1);

    // The workspace's next request is not served (Bolt finds no installation to authorize it,
    // before any listener or lookup); the other workspace still works.
    fake.reset();
    answerSlack();
    const refused = await command(main.base, 'T0BBB', 'UNEWCOMER', 'bob-2');
    expect(refused.status).toBe(200);
    expect(refused.text).toBe('');
    await command(main.base, 'T0AAA', 'UALICE', 'alice-2');
    await fake.waitForResponseUrl(1);
    await settle();
    expect(fake.responseUrlPosts.map((p) => p.id)).toEqual(['alice-2']);
    expect(fake.callsOf('users.info')).toEqual([]);
    expect(await db.conn.db!.collection('slack_routes').countDocuments({ _id: 'user:UNEWCOMER' as never })).toBe(0);

    // The outbox: Bob's messages are dead at their first attempt, with the reason; Alice's is sent.
    fake.reset();
    answerSlack();
    const router = new CompositeNotifier(ctx.repos.people, 0).register('slack', main.channel.notifier);
    const stats = await new Dispatcher({ deliveries, clock, router }).dispatchDue();
    expect(stats).toMatchObject({ sent: 1, dead: 2, failed: 0 });
    for (const m of queued) {
      const d = (await deliveries.get(m.key))!;
      expect(d).toMatchObject({ status: 'dead', attempts: 1 });
      expect(d.lastError).toMatch(/\[undeliverable\] the Slack installation team:T0BBB was removed \(app_uninstalled/);
      expect(d.nextAttemptAt).toBeUndefined();
    }
    expect((await deliveries.get('lifecycle:alice'))!.status).toBe('sent');
    // Nothing was sent with the removed workspace's token.
    expect(fake.calls.filter((c) => c.token === 'xoxb-token-B')).toEqual([]);

    expect((await verifyAudit(ctx.repos.audit)).ok).toBe(true);
  });

  it('with SLACK_ALLOWED_TEAMS the retry reaches the listener: two processes and a retry still write one removal and one audit entry', async () => {
    await install(main.base, 'code-D');
    const other = await startProcess(['T0AAA', 'T0BBB', 'T0CCC', 'T0DDD']);
    const event = lifecycleEvent('app_uninstalled', 'T0DDD');
    const answers = await Promise.all([postEvent(main.base, event), postEvent(other.base, event, 1), postEvent(other.base, event, 2)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await until('the audit entry', async () => (await auditOf('team:T0DDD')).length > 0);
    await settle();
    const v = await versions('team:T0DDD');
    expect(v.map((x) => [x.version, x.removed])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(await auditOf('team:T0DDD')).toHaveLength(1);
    // Allowed by the list but no longer installed: Bolt finds no installation, nothing is looked up.
    const after = await command(other.base, 'T0DDD', 'UDAN', 'dan-1');
    expect(after.status).toBe(200);
    await settle();
    expect(fake.callsOf('users.info')).toHaveLength(0);
    expect(fake.responseUrlPosts).toHaveLength(0);
  });

  it('a removal stored by a process that stopped before auditing it is audited by Slack\'s retry, once', async () => {
    const other = await startProcess(['T0AAA', 'T0BBB', 'T0CCC', 'T0DDD', 'T0EEE']);
    GRANTS['code-E'] = { team: { id: 'T0EEE', name: 'E' }, access_token: 'xoxb-token-E', bot_user_id: 'UBOTE' };
    await install(main.base, 'code-E');
    const event = lifecycleEvent('app_uninstalled', 'T0EEE');
    // The first delivery got as far as storing the removal, then its process stopped.
    await revokeInstallation({ repo: new MongoSlackInstallationRepository(db.conn), cipher: tokenCipher(ENCRYPTION_KEY) }, { key: 'team:T0EEE', teamId: 'T0EEE', cause: 'app_uninstalled', eventId: event.event_id, at: new Date() });
    expect(await auditOf('team:T0EEE')).toHaveLength(0);
    await postEvent(other.base, event, 1);
    await until('the audit entry', async () => (await auditOf('team:T0EEE')).length > 0);
    await postEvent(other.base, event, 2);
    await settle();
    expect(await auditOf('team:T0EEE')).toHaveLength(1);
    expect(await versions('team:T0EEE')).toHaveLength(2);
  });
});

describe('an Enterprise Grid org-wide install', () => {
  it('app_uninstalled from the organisation removes its one installation once, and no workspace of it is answered after', async () => {
    GRANTS['code-ORG'] = { team: null, enterprise: { id: 'E0ORG', name: 'Org' }, access_token: 'xoxb-token-ORG', bot_user_id: 'UBOTO', is_enterprise_install: true };
    await install(main.base, 'code-ORG');
    expect((await versions('enterprise:E0ORG')).map((v) => [v.version, v.removed])).toEqual([[1, false]]);
    const orgCommand = (team: string, user: string, id: string) =>
      postSigned(
        `${main.base}/slack/events`,
        slashCommandBody({ ...fixture<Record<string, string>>('slash_command'), team_id: team, enterprise_id: 'E0ORG', is_enterprise_install: 'true', user_id: user, text: 'help', trigger_id: triggerId(), response_url: fake.responseUrl(id) }),
      );
    // Two workspaces of the organisation are answered with the organisation's token.
    await orgCommand('T0GRID1', 'WCAROL', 'carol-1');
    await orgCommand('T0GRID2', 'WDAVE', 'dave-1');
    await fake.waitForResponseUrl(2);
    expect(new Set(fake.callsOf('users.info').map((c) => c.token))).toEqual(new Set(['xoxb-token-ORG']));

    // Slack's event for an org-wide app: the organisation in enterprise_id and the authorization.
    const event = lifecycleEvent('app_uninstalled', 'T0GRID1');
    event.enterprise_id = 'E0ORG';
    event.authorizations = [{ enterprise_id: 'E0ORG', team_id: null, user_id: 'UBOTO', is_bot: true, is_enterprise_install: true }];
    const answers = await Promise.all([postEvent(main.base, event), postEvent(main.base, event, 1)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const audit = await until('the audit entry', async () => {
      const a = await auditOf('enterprise:E0ORG');
      return a.length > 0 && a;
    });
    await settle();
    expect((await versions('enterprise:E0ORG')).map((v) => [v.version, v.removed, v.reason])).toEqual([
      [1, false, undefined],
      [2, true, 'app_uninstalled'],
    ]);
    expect(await auditOf('enterprise:E0ORG')).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'slack.installation_removed', data: { cause: 'app_uninstalled', enterpriseId: 'E0ORG', installation: 'enterprise:E0ORG', installationVersion: 2 } });
    expect(JSON.stringify(audit)).not.toMatch(/xox[bp]-/);

    // No workspace of the organisation is answered any more, and nothing is looked up for them.
    fake.reset();
    answerSlack();
    await orgCommand('T0GRID1', 'WCAROL', 'carol-2');
    await orgCommand('T0GRID2', 'WDAVE', 'dave-2');
    await settle();
    expect(fake.responseUrlPosts).toEqual([]);
    expect(fake.calls.filter((c) => c.token === 'xoxb-token-ORG')).toEqual([]);
    expect((await verifyAudit(ctx.repos.audit)).ok).toBe(true);
  });
});

describe('tokens_revoked', () => {
  it('a revoked user token is dropped and the bot keeps working; a revoked bot token removes the installation', async () => {
    await install(main.base, 'code-C');
    const cipher = tokenCipher(ENCRYPTION_KEY);
    const open = (d: Record<string, any>) => JSON.parse(cipher.open(d.sealed!, 'team:T0CCC'));
    expect(open((await versions('team:T0CCC'))[0]!).user.token).toBe('xoxp-user-C');

    // Another bot's or user's tokens: nothing changes.
    await postEvent(main.base, lifecycleEvent('tokens_revoked', 'T0CCC', { oauth: ['USOMEONE'], bot: ['UOTHERBOT'] }));
    await settle();
    expect(await versions('team:T0CCC')).toHaveLength(1);

    await postEvent(main.base, lifecycleEvent('tokens_revoked', 'T0CCC', { oauth: ['UINSTALLC'] }));
    const dropped = await until('the user token dropped', async () => {
      const v = await versions('team:T0CCC');
      return v.length === 2 && v[1];
    });
    expect(dropped).toMatchObject({ removed: false, reason: 'user_token_revoked' });
    expect(open(dropped).user.token).toBeUndefined();
    expect(open(dropped).bot.token).toBe('xoxb-token-C');
    expect((await until('audit', async () => (await auditOf('team:T0CCC')).length === 1 && auditOf('team:T0CCC')))[0]).toMatchObject({ action: 'slack.user_token_revoked', data: { teamId: 'T0CCC' } });
    // The bot still answers that workspace, with its own token.
    await command(main.base, 'T0CCC', 'UCAROL', 'carol-1');
    expect((await fake.waitForCall('users.info'))[0]!.token).toBe('xoxb-token-C');

    await postEvent(main.base, lifecycleEvent('tokens_revoked', 'T0CCC', { bot: ['UBOTC'] }));
    const removed = await until('the removal', async () => {
      const v = await versions('team:T0CCC');
      return v.length === 3 && v[2];
    });
    expect(removed).toMatchObject({ removed: true, reason: 'tokens_revoked' });
    const audit = await until('audit', async () => {
      const a = await auditOf('team:T0CCC');
      return a.length === 2 && a;
    });
    expect(audit[1]).toMatchObject({ action: 'slack.installation_removed', data: { cause: 'tokens_revoked', teamId: 'T0CCC', installationVersion: 3 } });
    expect(JSON.stringify(audit)).not.toMatch(/xox[bp]-/);
    expect((await verifyAudit(ctx.repos.audit)).ok).toBe(true);
  });
});

describe('refused for workspaces outside the allowed list', () => {
  it('an uninstall event naming a workspace the list does not allow removes nothing and audits nothing', async () => {
    await install(main.base, 'code-A').catch(() => undefined);
    const strict = await startProcess(['T0BBB']);
    const before = await versions('team:T0AAA');
    expect(before.at(-1)!.removed).toBe(false);
    await postEvent(strict.base, lifecycleEvent('app_uninstalled', 'T0AAA'));
    await postEvent(strict.base, lifecycleEvent('tokens_revoked', 'T0AAA', { bot: ['UBOTA'] }));
    // And one never installed anywhere, through the default process.
    await postEvent(main.base, lifecycleEvent('app_uninstalled', 'T0ZZZ'));
    await settle();
    expect(await versions('team:T0AAA')).toHaveLength(before.length);
    expect(await auditOf('team:T0AAA')).toHaveLength(0);
    expect(await versions('team:T0ZZZ')).toHaveLength(0);
    expect(await auditOf('team:T0ZZZ')).toHaveLength(0);
  });
});
