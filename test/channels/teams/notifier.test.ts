/**
 * The TeamsNotifier (the outbox's Teams channel): proactive messages through stored
 * conversation references, threads, a new personal chat when none is stored, and 429 backoff.
 */
import { SYSTEM_ACTOR } from '../../../src/domain/people/actor';
import { linkIdentity } from '../../../src/domain/people/linkIdentity';
import type { OutboundMessage } from '../../../src/domain/ports';
import type { Person } from '../../../src/domain/types';
import { ConversationRateLimiter } from '../../../src/channels/teams/rateLimit';
import { personRefKey } from '../../../src/store/teamsRefs.repo';
import { registerTestPerson } from '../../support/people';
import { personalInstall, teamInstall, TEAM_CHANNEL_ID, type Sender } from './support/activities';
import { cardsIn, INCIDENT_CONVERSATION_ID, newSender, useTeamsHarness } from './support/harness';

const h = useTeamsHarness();
let ada: Person;
let adaSender: Sender;
let seq = 0;

const message = (to: OutboundMessage['to'], extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  key: `test:${++seq}`,
  to,
  card: { title: `Notice ${seq}`, text: 'Something happened.', buttons: [{ label: 'Show', actionId: 'steward.incident.show', value: 'INC-9' }] },
  text: `Notice ${seq}`,
  ...extra,
});

beforeAll(async () => {
  ada = await registerTestPerson(h.t.ctx, ['llm_product_manager'], 'Ada');
  adaSender = newSender('Ada');
  await linkIdentity(h.t.ctx, { actorId: SYSTEM_ACTOR, personId: ada.id, teamsAadObjectId: adaSender.aadObjectId });
  expect(INCIDENT_CONVERSATION_ID).toBe(TEAM_CHANNEL_ID);
  await h.post(teamInstall(h.fake.serviceUrl, adaSender));
});

describe('TeamsNotifier', () => {
  it('opens a personal chat when none is stored, then reuses the stored reference', async () => {
    const first = await h.channel.notifier.send(message({ personId: ada.id }));
    const [created] = h.fake.callsOf('createConversation');
    expect(created!.body.members).toEqual([expect.objectContaining({ id: adaSender.aadObjectId })]);
    expect(created!.body.tenantId).toBeDefined();
    const [sent] = h.fake.callsOf('send');
    expect(sent!.conversationId).toMatch(/^a:fake-personal-/);
    expect(first.ref).toBe(JSON.parse(JSON.stringify(first.ref)));
    expect((await h.channel.refs.getMessage(`test:${seq}`))?.activityId).toBe(first.ref);

    h.fake.reset();
    await h.post(personalInstall(h.fake.serviceUrl, adaSender)); // the stored personal chat now wins
    expect((await h.channel.refs.getConversation(personRefKey(ada.id)))!.reference.conversation.id).toBe(adaSender.personalConversationId);
    await h.channel.notifier.send(message({ personId: ada.id }));
    expect(h.fake.callsOf('createConversation')).toHaveLength(0);
    expect(h.fake.callsOf('send')[0]!.conversationId).toBe(adaSender.personalConversationId);
  });

  it('posts to the configured incidents conversation and threads a follow-up under the first post', async () => {
    const parent = message({ channel: 'incidents' });
    const { ref } = await h.channel.notifier.send(parent);
    const [post] = h.fake.callsOf('send');
    expect(post!.conversationId).toBe(INCIDENT_CONVERSATION_ID);
    expect(h.cardProblems(cardsIn(post!.body)[0])).toEqual([]);
    expect(post!.body.summary).toBe(parent.text);

    await h.channel.notifier.send(message({ channel: 'incidents' }, { threadKey: parent.key }));
    const follow = h.fake.callsOf('send')[1]!;
    expect(follow.conversationId).toBe(`${INCIDENT_CONVERSATION_ID};messageid=${ref}`);
  });

  it('refuses a channel that is not configured (the outbox records the failure)', async () => {
    await expect(h.channel.notifier.send(message({ channel: 'coe' }))).rejects.toThrow(/No Teams conversation is configured for coe/);
  });

  it('backs off on 429 and then delivers', async () => {
    h.fake.throttle(2);
    const { ref } = await h.channel.notifier.send(message({ personId: ada.id }));
    const attempts = h.fake.calls.filter((c) => c.op === 'send');
    expect(attempts.map((c) => c.status)).toEqual([429, 429, 201]);
    expect(ref).toBeTruthy();
  });

  it('gives up after the retries and throws, storing nothing, so the outbox retries later', async () => {
    h.fake.throttle(100);
    const m = message({ personId: ada.id });
    await expect(h.channel.notifier.send(m)).rejects.toThrow();
    expect(h.fake.calls.filter((c) => c.op === 'send').map((c) => c.status)).toEqual([429, 429, 429, 429]);
    expect(await h.channel.refs.getMessage(m.key)).toBeNull();
    h.fake.throttle(0);
  });

  it('updates every stored copy of a message about a key', async () => {
    const a = await h.channel.notifier.send(message({ personId: ada.id }, { key: `approval.requested:APR-77:${ada.id}` }));
    h.fake.reset();
    expect(await h.channel.notifier.updateMessagesAbout('apr-77', { title: 'APR-77 approved' })).toBe(1);
    const [update] = h.fake.callsOf('update');
    expect(update!.activityId).toBe(a.ref);
    expect(update!.conversationId).toBe(adaSender.personalConversationId);
  });
});

describe('ConversationRateLimiter', () => {
  it('lets a burst of 7 through at once and spaces the rest at about 7 per second', async () => {
    // Fake timers (Date.now included): what is checked is the schedule, not how busy the machine is.
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const limiter = new ConversationRateLimiter({ perSecond: 7, burst: 7, retries: 0, baseDelayMs: 1, maxDelayMs: 1 });
      const started = Date.now();
      const times: number[] = [];
      for (let i = 0; i < 10; i++) void limiter.take('19:x@thread.tacv2').then(() => times.push(Date.now() - started));
      await jest.advanceTimersByTimeAsync(0);
      expect(times).toEqual([0, 0, 0, 0, 0, 0, 0]);
      // One more token every 1/7 s (143 ms, rounded up), in order.
      await jest.advanceTimersByTimeAsync(142);
      expect(times).toHaveLength(7);
      await jest.advanceTimersByTimeAsync(1);
      expect(times).toHaveLength(8);
      await jest.advanceTimersByTimeAsync(300);
      expect(times).toEqual([0, 0, 0, 0, 0, 0, 0, 143, 286, 429]);
      // Other conversations are not held up while this one waits.
      for (let i = 0; i < 5; i++) void limiter.take('19:x@thread.tacv2');
      let other = false;
      void limiter.take('a:other').then(() => {
        other = true;
      });
      await jest.advanceTimersByTimeAsync(0);
      expect(other).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('uses full jitter within the exponential ceiling and honours Retry-After', () => {
    const low = new ConversationRateLimiter({ perSecond: 7, burst: 7, retries: 3, baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0);
    const high = new ConversationRateLimiter({ perSecond: 7, burst: 7, retries: 3, baseDelayMs: 100, maxDelayMs: 10_000 }, () => 1);
    expect(low.delayFor(2)).toBe(200);
    expect(high.delayFor(2)).toBe(400);
    expect(low.delayFor(0, 3000)).toBe(3000);
  });
});
