/** SlackNotifier: DMs, configured channels, incident threads, and what it refuses. */
import { NOT_ON_SLACK_REF } from '../../../src/channels/slack/notifier';
import type { Card } from '../../../src/conversation/cards/model';
import { addPerson, INCIDENT_CHANNEL, useSlackHarness } from './support/harness';

const h = useSlackHarness();
const card = (title: string): Card => ({ title, text: 'details' });

beforeAll(async () => {
  await addPerson(h.t, { id: 'ada', slackUserId: 'UADA', roles: [] });
  await addPerson(h.t, { id: 'teams-only', teamsAadObjectId: 'aad-1', roles: [] });
});

it('DMs a person: conversations.open once, then chat.postMessage with blocks and text', async () => {
  h.fake.expect('conversations.open').expect('chat.postMessage');
  const a = await h.channel.notifier.send({ key: 'reminder:1', to: { personId: 'ada' }, card: card('Review due'), text: 'Review due' });
  const b = await h.channel.notifier.send({ key: 'reminder:2', to: { personId: 'ada' }, card: card('Review overdue'), text: 'Review overdue' });
  expect(h.fake.callsOf('conversations.open')).toHaveLength(1);
  expect(h.fake.callsOf('conversations.open')[0]!.args.users).toBe('UADA');
  const posts = h.fake.callsOf('chat.postMessage');
  expect(posts.map((p) => p.args.channel)).toEqual(['DADA', 'DADA']);
  expect(posts[0]!.token).toBe('xoxb-test-token');
  expect(JSON.stringify(posts[0]!.args.blocks)).toContain('Review due');
  expect(a.ref).toBe(`DADA:${posts[0]!.args.ts ?? a.ref.split(':')[1]}`);
  expect(a.ref).not.toBe(b.ref);
});

it('posts an incident to the incidents channel and its updates in the thread of the first message', async () => {
  h.fake.expect('chat.postMessage');
  const first = await h.channel.notifier.send({ key: 'incident.reported:INC-1', to: { channel: 'incidents' }, card: card('INC-1 reported'), text: 'INC-1 reported' });
  await h.channel.notifier.send({ key: 'incident.updated:INC-1:2', to: { channel: 'incidents' }, card: card('INC-1 mitigating'), text: 'INC-1 mitigating', threadKey: 'incident.reported:INC-1' });
  const [top, reply] = h.fake.callsOf('chat.postMessage');
  expect(top!.args.channel).toBe(INCIDENT_CHANNEL);
  expect(top!.args.thread_ts).toBeUndefined();
  expect(reply!.args.channel).toBe(INCIDENT_CHANNEL);
  expect(reply!.args.thread_ts).toBe(first.ref.split(':')[1]);
});

it('skips a person with no Slack identity without calling Slack', async () => {
  const res = await h.channel.notifier.send({ key: 'x:1', to: { personId: 'teams-only' }, card: card('Hi'), text: 'Hi' });
  expect(res.ref).toBe(NOT_ON_SLACK_REF);
  expect(h.fake.calls).toHaveLength(0);
});

it('throws for a channel that is not configured, so the outbox records the failure', async () => {
  await expect(h.channel.notifier.send({ key: 'coe:1', to: { channel: 'coe' }, card: card('Digest'), text: 'Digest' })).rejects.toMatchObject({ code: 'slack.channel_not_configured' });
});

it('throws when Slack refuses, so the outbox retries', async () => {
  h.fake.expect('conversations.open').expect('chat.postMessage', () => ({ ok: false, error: 'channel_not_found' }));
  await expect(h.channel.notifier.send({ key: 'fail:1', to: { personId: 'ada' }, card: card('Hi'), text: 'Hi' })).rejects.toThrow(/channel_not_found/);
});
