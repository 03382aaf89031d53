/**
 * Slack workspaces: signed requests from a workspace other than the bot token's (auth.test) are
 * refused before any lookup (no users.info, no identity read, no write), acknowledged with a
 * plain message where Slack shows one; the allowed workspace is served as before.
 */
import { APPROVE_ACTION_ID } from '../../src/conversation/actions';
import { requestAllowed, TEAM_NOT_ALLOWED_TEXT, teamsOfRequest } from '../../src/channels/slack/teamGate';
import { registerTestPerson } from '../support/people';
import { interactionBody, postSigned, slashCommandBody } from '../support/slackSigning';
import { appHomeOpened, blockAction, slashCommand } from '../channels/slack/support/payloads';
import { countAll, delay, useSlackHarness } from '../channels/slack/support/harness';

const h = useSlackHarness();

function fromOtherWorkspace<T extends Record<string, any>>(p: T): T {
  const o = JSON.parse(JSON.stringify(p)) as Record<string, any>;
  if (o.team_id) o.team_id = 'T0OTHER';
  if (o.team) o.team.id = 'T0OTHER';
  if (o.user && typeof o.user === 'object') o.user.team_id = 'T0OTHER';
  if (Array.isArray(o.authorizations)) o.authorizations[0].team_id = 'T0OTHER';
  return o as T;
}

describe('Slack workspace allow-list (default: the bot token workspace)', () => {
  it('a slash command from another workspace is refused at the ack, before users.info; nothing written', async () => {
    const victim = await registerTestPerson(h.t.ctx, ['ai_coe_admin'], 'Workspace Victim');
    // users.info would map this user to the victim by email; it must never be asked.
    h.fake.expect('users.info', { user: { id: 'U0STRANGER', deleted: false, profile: { email: victim.email } } });
    const before = await countAll(h.t);
    const body = slashCommandBody(fromOtherWorkspace(slashCommand({ user_id: 'U0STRANGER', text: 'whoami', response_url: h.fake.responseUrl('other') })));
    const res = await postSigned(h.url, body);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral', text: TEAM_NOT_ALLOWED_TEXT });
    await delay(150);
    expect(h.fake.callsOf('users.info')).toHaveLength(0);
    expect(h.fake.responseUrlPosts).toHaveLength(0);
    expect(await countAll(h.t)).toEqual(before);
    expect((await h.t.ctx.repos.people.findById(victim.id))?.slackUserId).not.toBe('U0STRANGER');
  });

  it('a button and an App Home event from another workspace do nothing', async () => {
    const before = await countAll(h.t);
    const click = blockAction({ userId: 'U0STRANGER', actionId: APPROVE_ACTION_ID, value: 'APR-1', responseUrl: h.fake.responseUrl('click') });
    expect((await postSigned(h.url, interactionBody(fromOtherWorkspace(click)))).status).toBe(200);
    const home = await postSigned(h.url, JSON.stringify(fromOtherWorkspace(appHomeOpened('U0STRANGER'))), { contentType: 'application/json' });
    expect(home.status).toBe(200);
    await delay(150);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(h.fake.responseUrlPosts).toHaveLength(0);
    expect(await countAll(h.t)).toEqual(before);
  });

  it('a user of another workspace acting inside an allowed one (shared channel) is refused too', async () => {
    const click = blockAction({ userId: 'U0GUEST', actionId: APPROVE_ACTION_ID, value: 'APR-1', responseUrl: h.fake.responseUrl('guest2') });
    click.user.team_id = 'T0OTHER'; // the installation's team stays T0001
    expect((await postSigned(h.url, interactionBody(click))).status).toBe(200);
    await delay(100);
    expect(h.fake.responseUrlPosts).toHaveLength(0);
  });

  it('the allowed workspace is served (learned from auth.test of the bot token)', async () => {
    const me = await registerTestPerson(h.t.ctx, ['domain_expert'], 'Allowed Member');
    const res = await postSigned(h.url, slashCommandBody(slashCommand({ user_id: me.slackUserId!, text: 'whoami', response_url: h.fake.responseUrl('ok') })));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await h.fake.waitFor(() => h.fake.responseUrlPosts.find((p) => p.id === 'ok'), 'the whoami reply');
  });
});

describe('which requests an allow-list admits', () => {
  const allowed = new Set(['T0001', 'E0GRID']);
  it.each([
    ['the installation team', { team_id: 'T0001' }, true],
    ['another team', { team_id: 'T0002' }, false],
    ['an allowed Enterprise Grid org, any of its workspaces', { team_id: 'T0999', enterprise_id: 'E0GRID' }, true],
    ['an org-wide install (team null)', { team: null, enterprise: { id: 'E0GRID' }, user: { team_id: 'T0777' } }, true],
    ['an allowed team but a user from another', { team: { id: 'T0001' }, user: { team_id: 'T0002' } }, false],
    ['no team at all', { type: 'block_actions' }, false],
    ['not an object', null, false],
  ])('%s', (_what, body, expected) => {
    expect(requestAllowed(allowed, teamsOfRequest(body))).toBe(expected);
  });
});
