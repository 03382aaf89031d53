/**
 * A gate with four approvers, voted on in Slack one click at a time. The outbox (routeEvents +
 * Dispatcher.sendNow, as the web process runs it) posts each approver their own copy and one to
 * the governance channel. After every vote each copy is edited exactly once, drawn for its
 * recipient: the shared progress everywhere, the buttons gone only for those who voted, and for
 * everyone once decided. The decision goes into the governance post's thread.
 */
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, SHOW_APPROVAL_ACTION_ID } from '../../../src/conversation/actions';
import type { Policy } from '../../../src/domain/policy';
import type { Approval, Person } from '../../../src/domain/types';
import { requestAdvance } from '../../../src/domain/usecases/requestAdvance';
import { CompositeNotifier } from '../../../src/notifications/compositeNotifier';
import { Dispatcher } from '../../../src/notifications/dispatcher';
import { routeEvents } from '../../../src/notifications/routeEvents';
import { createDeliveryRepository } from '../../../src/store/deliveries.repo';
import { interactionBody, postSigned } from '../../support/slackSigning';
import { registerTeam, type Team } from '../../support/people';
import { proposeTestUseCase } from '../../support/usecases';
import { GOVERNANCE_CHANNEL, useSlackHarness } from './support/harness';
import { blockAction } from './support/payloads';

const FOUR = ['ai_security_specialist', 'ai_governance_legal', 'domain_expert', 'llmops_engineer'];

/** The first gate of a minimal-risk use case needs all four roles. */
const fourApprovers = (p: Policy): Policy => ({
  ...p,
  lifecycle: {
    ...p.lifecycle,
    gates: p.lifecycle.gates.map((g, i) => (i === 0 ? { ...g, approvers: { ...g.approvers, minimal: { roles: FOUR, quorum: 4 } } } : g)),
  },
});

const h = useSlackHarness({ policy: fourApprovers });
let team: Team;
let unroute: () => void;
let sent: Promise<unknown>[] = [];

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  const deliveries = createDeliveryRepository(h.t.ctx.conn);
  const router = new CompositeNotifier(h.t.ctx.repos.people, 0).register('slack', h.channel.notifier);
  const dispatcher = new Dispatcher({ deliveries, clock: h.t.clock, router });
  unroute = routeEvents(h.t.ctx, deliveries, {
    sendNow: (messages) => {
      const p = dispatcher.sendNow(messages);
      sent.push(p);
      return p;
    },
  });
});
afterAll(() => unroute());

/** Waits for the background sends started so far. */
async function settled(): Promise<void> {
  const pending = sent;
  sent = [];
  await Promise.all(pending);
}

const liveVoteButtons = (blocks: unknown): number => (JSON.stringify(blocks).match(new RegExp(`"action_id":"(${APPROVE_ACTION_ID}|${REJECT_ACTION_ID})[^"]*"`, 'g')) ?? []).length;
const person = async (id: string): Promise<Person> => (await h.t.ctx.repos.people.findById(id))!;

it('keeps every copy right for its holder through four votes, editing each once per vote', async () => {
  const pm = team.llm_product_manager!;
  const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'minimal', { title: 'Four approvers' });
  h.fake.expect('conversations.open').expect('chat.postMessage').expect('chat.update');
  const { approval } = await requestAdvance(h.t.ctx, { actorId: pm.id, key: uc.key });
  await settled();
  expect(approval.approverIds).toHaveLength(4);

  // Sent at once by the process that made the change: 4 DMs and the governance post.
  const posts = h.fake.callsOf('chat.postMessage');
  expect(posts).toHaveLength(5);
  const governance = posts.find((p) => p.args.channel === GOVERNANCE_CHANNEL)!;
  expect(liveVoteButtons(governance.args.blocks)).toBe(0);
  expect(JSON.stringify(governance.args.blocks)).toContain(SHOW_APPROVAL_ACTION_ID);
  const refs = await h.channel.notifier['deps'].messages.listBySubject(approval.key);
  expect(refs).toHaveLength(5);
  const dmRef = (p: Person) => refs.find((r) => r.key === `approval.requested:${approval.key}:${p.id}`)!;
  // What an approver needs to decide is on the request itself.
  const first = JSON.stringify(posts.find((p) => p.args.channel === dmRef(team.ai_security_specialist!).channel)!.args.blocks);
  expect(first).toMatch(/Risk tier: Minimal risk/);
  expect(first).toMatch(/Evidence \(0 of \d+ controls\)/);
  expect(first).toMatch(/Latest evaluation/);
  expect(first).toMatch(/0 of 4 approved: AI Security Specialist …/);

  const voters = FOUR.map((role) => team[role]!);
  for (const [i, voter] of voters.entries()) {
    const before = h.fake.callsOf('chat.update').length;
    const mine = dmRef(voter);
    const payload = blockAction({
      userId: voter.slackUserId!,
      actionId: APPROVE_ACTION_ID,
      value: approval.key,
      responseUrl: h.fake.responseUrl(`vote-${i}`),
      container: { type: 'message', channel_id: mine.channel, message_ts: mine.ts, is_ephemeral: false },
      messageBlocks: [],
    });
    if (i === voters.length - 1) h.fake.expect('chat.postMessage');
    expect((await postSigned(h.url, interactionBody(payload))).status).toBe(200);
    await h.fake.waitForCall('chat.update', before + refs.length);
    await h.fake.waitFor(() => h.fake.responseUrlPosts.some((p) => p.id === `vote-${i}`), 'the voter reply');
    await settled();
    const updates = h.fake.callsOf('chat.update').slice(before);
    // Once per copy per vote: never twice, none forgotten.
    expect(updates.map((u) => `${u.args.channel}:${u.args.ts}`).sort()).toEqual(refs.map((r) => `${r.channel}:${r.ts}`).sort());
    const decided = i === voters.length - 1;
    for (const ref of refs) {
      const u = updates.find((c) => c.args.channel === ref.channel && c.args.ts === ref.ts)!;
      const text = JSON.stringify(u.args.blocks);
      const holder = voters.find((v) => ref.key.endsWith(`:${v.id}`));
      const hasVoted = holder ? voters.indexOf(holder) <= i : false;
      if (decided) {
        expect(liveVoteButtons(u.args.blocks)).toBe(0);
        expect(text).toMatch(/Approved/);
      } else if (!holder) {
        expect(liveVoteButtons(u.args.blocks)).toBe(0); // the governance channel's copy
      } else if (hasVoted) {
        expect(liveVoteButtons(u.args.blocks)).toBe(0);
        expect(text).toMatch(/Your approval is recorded/);
      } else {
        expect(liveVoteButtons(u.args.blocks)).toBe(2);
        expect(text).not.toMatch(/Your approval is recorded/);
      }
      expect(text).toContain(`${i + 1} of 4 approved`);
    }
  }
  const final = (await h.t.ctx.repos.approvals.get(approval.key)) as Approval;
  expect(final.status).toBe('approved');
  // The decision goes to the governance channel, in the request's thread.
  const governanceRef = refs.find((r) => r.channel === GOVERNANCE_CHANNEL)!;
  await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').some((p) => p.args.channel === GOVERNANCE_CHANNEL && p.args.thread_ts === governanceRef.ts), 'the decision in the governance thread');
  expect((await person(final.requesterId)).id).toBe(pm.id);
});
