/**
 * Issue 12 over signed Slack HTTP to the real Bolt app on the real database: incident titles
 * that leak nothing, mrkdwn that cannot mention @channel or disguise a link (escaped exactly
 * once), over-long commands, signed but malformed bodies (400, nothing written), and requests
 * no listener takes (acknowledged at once, the person told plainly).
 */
import { OLD_BUTTON_TEXT, OLD_FORM_TEXT } from '../../../src/channels/slack/requestGate';
import type { OutboundMessage } from '../../../src/domain/ports';
import type { UseCase } from '../../../src/domain/types';
import { routeEvents } from '../../../src/notifications';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../../src/store/deliveries.repo';
import { registerTeam, type Team } from '../../support/people';
import { interactionBody, postSigned, slashCommandBody } from '../../support/slackSigning';
import { proposeTestUseCase } from '../../support/usecases';
import { slackDriver } from './support/drive';
import { countAll, INCIDENT_CHANNEL, useSlackHarness } from './support/harness';
import { blockAction, slashCommand, viewSubmission } from './support/payloads';

const h = useSlackHarness();
const slack = slackDriver(h);
let team: Team;
let uc: UseCase;
let deliveries: MongoDeliveryRepository;
let unroute: () => void;

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  uc = await proposeTestUseCase(h.t.ctx, team.llm_product_manager!.id, 'minimal', { title: 'Input safety bot' });
  deliveries = createDeliveryRepository(h.t.ctx.conn);
  await deliveries.init();
  // The outbox as the notifications module fills it, so the incident channel's message can be sent.
  unroute = routeEvents(h.t.ctx, deliveries);
});
afterAll(() => unroute?.());

/** Sends the outbox's messages for the incidents channel through the real SlackNotifier. */
async function postToIncidentChannel(incidentKey: string): Promise<Record<string, any>> {
  const all = await deliveries.list();
  const message = all.find((d) => 'channel' in d.to && d.to.channel === 'incidents' && d.key.includes(incidentKey));
  if (!message) throw new Error(`no incidents-channel message for ${incidentKey}: ${all.map((d) => d.key).join(', ')}`);
  h.fake.expect('chat.postMessage');
  await h.channel.notifier.send(message as OutboundMessage);
  const post = h.fake.callsOf('chat.postMessage').at(-1)!;
  expect(post.args.channel).toBe(INCIDENT_CHANNEL);
  return post.args;
}

/** Every mrkdwn text object in a block tree: what Slack parses for mentions and links. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (typeof node !== 'object' || node === null) return [];
  const o = node as Record<string, unknown>;
  const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
}

/** Record and outbox collections: the retry claim a command takes on arrival is not a record. */
const recordCounts = async () => {
  const { claims: _claims, ...rest } = await countAll(h.t);
  return rest;
};

const newestIncident = async () => [...(await h.t.ctx.repos.incidents.list())].sort((a, b) => b.seq - a.seq)[0]!;

describe('secrets in incident titles', () => {
  it.each([
    ['an email', 'jane.doe@example.com', 'jane.doe@example'],
    ['an AWS key', 'AKIAZ7QX3MPLW4TKEY2B', 'AKIAZ7QX3MPLW4TK'],
  ])('%s across the title cut leaks nowhere: not in the card, the record, the outbox or the channel post', async (_what, secret, prefix) => {
    // The secret starts at character 70, so the old cut at 77 kept its first 7+ characters.
    const text = `incident ${uc.key} sev2 ${'the assistant repeated a customer record '.slice(0, 50).padEnd(52, '.')} ${secret} in its reply to another user`;
    const [reply] = await slack.say(team.domain_expert!, text);
    const incident = await newestIncident();
    expect(incident.title.length).toBeLessThanOrEqual(80);
    const channelPost = await postToIncidentChannel(incident.key);
    const raw = await h.t.ctx.conn.collection('incidents').findOne({ key: incident.key });
    const everywhere = [reply!.text, JSON.stringify(raw), JSON.stringify(await deliveries.list()), JSON.stringify(channelPost)];
    for (const where of everywhere) expect(where).not.toContain(prefix);
    expect(incident.description).toContain('[REDACTED:');
  });
});

describe('mrkdwn injection', () => {
  it('user text in the top-level text of a channel notification cannot mention @channel or disguise a link', async () => {
    await slack.say(team.domain_expert!, `incident ${uc.key} sev2 <!channel> <https://evil.example.org|click here> for details`);
    const incident = await newestIncident();
    const post = await postToIncidentChannel(incident.key);
    // Slack parses the top-level text and mrkdwn blocks (plain_text shows `<!channel>` literally).
    const parsed = [String(post.text), ...mrkdwnTexts(post.blocks)];
    expect(parsed.length).toBeGreaterThan(1);
    for (const t of parsed) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<https://evil.example.org');
    }
    expect(post.text).toContain('&lt;!channel&gt;');
  });

  it('escapes exactly once: `raci UC-n ux` shows "User experience &amp; integration", never &amp;amp;', async () => {
    const [r] = await slack.say(team.domain_expert!, `raci ${uc.key} ux`);
    expect(r!.text).toContain('User experience &amp; integration');
    expect(r!.text).not.toContain('&amp;amp;');
    expect(String(r!.body.text)).not.toMatch(/&amp;amp;|&lt;lt;/);
  });

  it('a reply quoting what was typed escapes it in the fallback text too', async () => {
    const [r] = await slack.say(team.domain_expert!, 'show <!here>');
    expect(String(r!.body.text)).not.toContain('<!here>');
    expect(JSON.stringify(r!.blocks)).not.toContain('<!here>');
  });
});

describe('over-long commands', () => {
  it('a 200,000-character word is answered at once with a clear message, and nothing is written', async () => {
    const before = await recordCounts();
    const started = performance.now();
    const [r] = await slack.say(team.domain_expert!, 'x'.repeat(200_000));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(r!.text).toMatch(/200,000 characters long; commands are limited to 4,000/);
    expect(await recordCounts()).toEqual(before);
  });
});

describe('signed but malformed bodies', () => {
  const form = { contentType: 'application/x-www-form-urlencoded' as const };
  const json = { contentType: 'application/json' as const };
  it.each([
    ['null as JSON', 'null', json],
    ['an array', '[]', json],
    ['not JSON', '{"type":', json],
    ['an event_callback without an event', '{"type":"event_callback","event":null,"team_id":"T1"}', json],
    ['an event whose user is null', '{"type":"event_callback","team_id":"T1","event":{"type":"app_home_opened","user":null}}', json],
    ['payload=null', 'payload=null', form],
    ['payload that is not JSON', 'payload=%7Bnope', form],
    ['a view_submission without a view', interactionBody({ type: 'view_submission', user: { id: 'U1' } }), form],
    ['a view_submission with a null view', interactionBody({ type: 'view_submission', user: { id: 'U1' }, view: null }), form],
    ['block_actions without actions', interactionBody({ type: 'block_actions', user: { id: 'U1' }, actions: [] }), form],
    ['block_actions without a user', interactionBody({ type: 'block_actions', actions: [{ action_id: 'x' }] }), form],
    ['an interaction with a null channel', interactionBody({ type: 'block_actions', user: { id: 'U1' }, channel: null, actions: [{ action_id: 'x' }] }), form],
    ['a slash command without a user', slashCommandBody({ command: '/steward', text: 'help' }), form],
    ['an unknown body', '{"hello":"world"}', json],
  ])('%s -> 400 with the error shape, nothing written', async (_what, body, opts) => {
    const before = await countAll(h.t);
    const res = await postSigned(h.url, body, opts);
    expect(res.status).toBe(400);
    const parsed = JSON.parse(res.text);
    expect(parsed).toEqual({ error: { code: 'slack.malformed_request', message: expect.stringMatching(/^The Slack request is malformed: .+\.$/) } });
    expect(parsed.error.message).not.toMatch(/at .*\.ts|TypeError/);
    expect(await countAll(h.t)).toEqual(before);
  });

  it('an unsigned malformed body is still refused by the signature check (401), not told what is wrong', async () => {
    const res = await postSigned(h.url, 'null', { contentType: 'application/json', secret: 'not-the-secret' });
    expect(res.status).toBe(401);
  });
});

describe('requests no listener takes', () => {
  it('a button from an older version is acknowledged at once and the person is told', async () => {
    const payload = blockAction({ userId: team.domain_expert!.slackUserId!, actionId: 'steward.retired_button', value: 'x', responseUrl: h.fake.responseUrl('old-button') });
    const res = await postSigned(h.url, interactionBody(payload));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2_000);
    const [told] = await slack.postsFor('old-button', 1);
    expect(told!.text).toContain('That button is from an older version of Steward');
    expect(told!.body.response_type).toBe('ephemeral');
    expect(OLD_BUTTON_TEXT).toMatch(/older version of Steward/);
  });

  it('a button in a modal (no response_url) is answered by DM', async () => {
    h.fake.expect('chat.postMessage');
    const payload = blockAction({ userId: team.domain_expert!.slackUserId!, actionId: 'steward.gone', value: 'x', view: { id: 'V1', type: 'modal' } });
    expect((await postSigned(h.url, interactionBody(payload))).status).toBe(200);
    const [dm] = await h.fake.waitForCall('chat.postMessage');
    expect(dm!.args.channel).toBe(team.domain_expert!.slackUserId);
    expect(String(dm!.args.text)).toContain('older version of Steward');
  });

  it('an unknown modal callback_id is answered in the modal itself', async () => {
    const payload = viewSubmission({ userId: team.domain_expert!.slackUserId!, callbackId: 'steward.old_form', values: {} });
    const res = await postSigned(h.url, interactionBody(payload));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.response_action).toBe('update');
    expect(JSON.stringify(body.view)).toContain(OLD_FORM_TEXT.split('.')[0]);
  });

  it('a global shortcut is acknowledged and the person told by DM', async () => {
    h.fake.expect('chat.postMessage');
    const res = await postSigned(h.url, interactionBody({ type: 'shortcut', callback_id: 'old_shortcut', trigger_id: '1.2.3', user: { id: team.domain_expert!.slackUserId!, team_id: 'T1' }, team: { id: 'T1' } }));
    expect(res.status).toBe(200);
    const [dm] = await h.fake.waitForCall('chat.postMessage');
    expect(String(dm!.args.text)).toMatch(/no shortcuts/);
  });

  it('another slash command is answered in the HTTP response, and nothing is written', async () => {
    const before = await countAll(h.t);
    const body = slashCommandBody({ ...slashCommand({ user_id: team.domain_expert!.slackUserId!, text: 'hi', response_url: h.fake.responseUrl('other') }), command: '/deploy' });
    const res = await postSigned(h.url, body);
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.text);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('/deploy');
    expect(await countAll(h.t)).toEqual(before);
  });

  it('a Slack retry of an unhandled button is acknowledged without telling the person twice', async () => {
    const payload = blockAction({ userId: team.domain_expert!.slackUserId!, actionId: 'steward.retired_button', value: 'x', responseUrl: h.fake.responseUrl('retry') });
    const res = await postSigned(h.url, interactionBody(payload), { retryNum: 1 });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.responseUrlPosts.filter((p) => p.id === 'retry')).toHaveLength(0);
  });
});
