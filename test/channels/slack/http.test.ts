/**
 * The Slack edge over real HTTP: signature checks, Slack's retries, who the user is, and that a
 * slash command is acknowledged at once with the answer following through response_url (with a
 * slow database: ackBudget.test.ts).
 */
import { commandKey } from '../../../src/channels/slack/idempotency';
import { interactionBody, postSigned, signRequest, slashCommandBody } from '../../support/slackSigning';
import { addPerson, countAll, delay, useSlackHarness } from './support/harness';
import { fixture, slashCommand, triggerId } from './support/payloads';

const h = useSlackHarness();

describe('Slack request verification', () => {
  beforeAll(async () => {
    await addPerson(h.t, { id: 'ada', slackUserId: 'UADA', email: 'ada@example.com', roles: ['llm_product_manager'] });
  });

  it('refuses a bad signature with 401 and writes nothing', async () => {
    const before = await countAll(h.t);
    const body = slashCommandBody(slashCommand({ user_id: 'UADA', text: 'propose', response_url: h.fake.responseUrl('bad') }));
    const res = await postSigned(h.url, body, { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
    await delay(200);
    expect(await countAll(h.t)).toEqual(before);
    expect(h.fake.calls).toHaveLength(0);
    expect(h.fake.responseUrlPosts).toHaveLength(0);
  });

  it('refuses a correctly signed but stale request (older than 5 minutes) with 401 and writes nothing', async () => {
    const before = await countAll(h.t);
    const body = slashCommandBody(slashCommand({ user_id: 'UADA', text: 'propose', response_url: h.fake.responseUrl('stale') }));
    const res = await postSigned(h.url, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await delay(200);
    expect(await countAll(h.t)).toEqual(before);
    expect(h.fake.responseUrlPosts).toHaveLength(0);
  });

  it('answers the url_verification challenge', async () => {
    const challenge = fixture('url_verification');
    const res = await postSigned(h.url, JSON.stringify(challenge), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.text).toContain(challenge.challenge);
  });

  it('refuses a tampered payload even with a valid-looking signature of another body', async () => {
    const payload = interactionBody({ type: 'block_actions' });
    const { headers } = signRequest('something else');
    const res = await fetch(h.url, { method: 'POST', headers, body: payload });
    expect(res.status).toBe(401);
  });
});

describe('/steward', () => {
  it('acks within 3 s (empty 200) and answers through response_url', async () => {
    const body = slashCommandBody(slashCommand({ user_id: 'UADA', text: 'raci UC-404', response_url: h.fake.responseUrl('raci') }));
    const res = await postSigned(h.url, body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.ms).toBeLessThan(3000);
    const [post] = await h.fake.waitForResponseUrl(1);
    expect(post!.id).toBe('raci');
    expect(post!.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(post!.body.blocks)).toContain('UC-404 does not exist.');
  });

  it('ignores a Slack retry of the same command (X-Slack-Retry-Num) and creates nothing new', async () => {
    h.fake.expect('views.open');
    const trigger = triggerId();
    const fields = slashCommand({ user_id: 'UADA', text: 'propose', response_url: h.fake.responseUrl('p1'), trigger_id: trigger });
    const first = await postSigned(h.url, slashCommandBody(fields));
    expect(first.status).toBe(200);
    await h.fake.waitForCall('views.open', 1);
    const before = await countAll(h.t);
    const retry = await postSigned(h.url, slashCommandBody(fields), { retryNum: 1 });
    expect(retry.status).toBe(200);
    await delay(300);
    expect(h.fake.callsOf('views.open')).toHaveLength(1);
    expect(await countAll(h.t)).toEqual(before);
    expect(await h.t.ctx.repos.claims.claim(commandKey(trigger))).toBe(false);
  });

  it('tells an unknown user how to get registered and writes nothing', async () => {
    h.fake.expect('users.info', { user: { id: 'UNOBODY', deleted: false, profile: { email: 'nobody@example.com' } } });
    const before = await countAll(h.t);
    const body = slashCommandBody(slashCommand({ user_id: 'UNOBODY', text: 'propose', response_url: h.fake.responseUrl('nobody') }));
    expect((await postSigned(h.url, body)).status).toBe(200);
    const [post] = await h.fake.waitForResponseUrl(1);
    expect(post!.body.response_type).toBe('ephemeral');
    expect(String(post!.body.text)).toMatch(/register/i);
    expect(await countAll(h.t)).toEqual(before);
    expect(h.fake.callsOf('users.info')[0]!.args.user).toBe('UNOBODY');
  });

  it('maps an unlinked Slack user by the email from users.info, then links the Slack id', async () => {
    await addPerson(h.t, { id: 'steve', email: 'Steve@Example.com', roles: ['llm_product_manager'] });
    const info = fixture('users_info');
    h.fake.expect('users.info', { user: info.user });
    const body = slashCommandBody(slashCommand({ user_id: info.user.id, text: 'raci UC-9', response_url: h.fake.responseUrl('steve') }));
    expect((await postSigned(h.url, body)).status).toBe(200);
    const [post] = await h.fake.waitForResponseUrl(1);
    expect(JSON.stringify(post!.body.blocks)).toContain('UC-9 does not exist.');
    const linked = await h.t.ctx.repos.people.findBySlackUserId(info.user.id);
    expect(linked?.id).toBe('steve');
    const audit = [];
    for await (const e of h.t.ctx.repos.audit.all()) audit.push(e);
    expect(audit.some((e) => e.action === 'person.identity_linked' && e.subject === 'steve')).toBe(true);

    // The second request finds the stored id: no users.info call.
    h.fake.reset();
    const again = slashCommandBody(slashCommand({ user_id: info.user.id, text: 'raci UC-9', response_url: h.fake.responseUrl('steve2') }));
    expect((await postSigned(h.url, again)).status).toBe(200);
    await h.fake.waitForResponseUrl(1);
    expect(h.fake.callsOf('users.info')).toHaveLength(0);
  });

  it('treats a user whose email Slack does not share (scope not granted) as unknown', async () => {
    h.fake.expect('users.info', () => ({ ok: false, error: 'missing_scope', needed: 'users:read.email' }));
    const before = await countAll(h.t);
    const body = slashCommandBody(slashCommand({ user_id: 'UNOSCOPE', text: 'propose', response_url: h.fake.responseUrl('noscope') }));
    expect((await postSigned(h.url, body)).status).toBe(200);
    const [post] = await h.fake.waitForResponseUrl(1);
    expect(String(post!.body.text)).toMatch(/register/i);
    expect(await countAll(h.t)).toEqual(before);
  });
});
