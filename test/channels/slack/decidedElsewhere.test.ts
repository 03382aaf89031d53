/**
 * An approval decided outside Slack — by a vote in the console or Teams, or by expiry — must
 * not leave live Approve/Reject buttons in the approvers' Slack DMs: every stored copy is
 * edited with chat.update to the decided card (src/notifications/approvalCopies.ts, which the
 * Slack channel subscribes itself).
 */
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../../src/conversation/actions';
import { approvalCard } from '../../../src/conversation/cards/approval';
import { indexPeople } from '../../../src/conversation/cards/format';
import { createConversation } from '../../../src/conversation/handlers';
import { expireApprovals } from '../../../src/domain/approvals/expireApprovals';
import type { Approval, Person } from '../../../src/domain/types';
import { requestAdvance } from '../../../src/domain/usecases/requestAdvance';
import { registerTeam, type Team } from '../../support/people';
import { proposeTestUseCase } from '../../support/usecases';
import { useSlackHarness } from './support/harness';

const h = useSlackHarness();
let team: Team;

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
});

async function requestAndNotify(title: string): Promise<Approval> {
  const pm = team.llm_product_manager!;
  const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'minimal', { title });
  const { approval } = await requestAdvance(h.t.ctx, { actorId: pm.id, key: uc.key });
  h.fake.expect('conversations.open').expect('chat.postMessage');
  const card = approvalCard({ approval, policy: h.t.ctx.policy, people: indexPeople(await h.t.ctx.repos.people.list()), now: h.t.clock.now(), useCase: uc });
  for (const id of approval.approverIds) {
    await h.channel.notifier.send({ key: `approval.requested:${approval.key}:${id}`, to: { personId: id }, card, text: card.title });
  }
  return approval;
}

const liveButtons = (blocks: unknown): string[] =>
  JSON.stringify(blocks).match(new RegExp(`"action_id":"(${APPROVE_ACTION_ID}|${REJECT_ACTION_ID})[^"]*"`, 'g')) ?? [];

it('a vote in the console edits every Slack copy of the request to the decided card', async () => {
  const approval = await requestAndNotify('Decided in the console');
  const copies = h.fake.callsOf('chat.postMessage').length;
  expect(copies).toBe(approval.approverIds.length);
  h.fake.expect('chat.update');
  const console = createConversation({ ctx: h.t.ctx });
  for (const id of approval.approverIds) {
    const voter = (await h.t.ctx.repos.people.findById(id)) as Person;
    await console.handle(voter, { kind: 'action', actionId: APPROVE_ACTION_ID, value: approval.key });
    if ((await h.t.ctx.repos.approvals.get(approval.key))!.status !== 'pending') break;
  }
  expect((await h.t.ctx.repos.approvals.get(approval.key))!.status).toBe('approved');
  const updates = await h.fake.waitForCall('chat.update', copies);
  expect(updates).toHaveLength(copies);
  for (const u of updates) expect(liveButtons(u.args.blocks)).toEqual([]);
});

it('an expired request loses its buttons in Slack too', async () => {
  const approval = await requestAndNotify('Left to expire');
  const copies = h.fake.callsOf('chat.postMessage').length;
  h.fake.expect('chat.update');
  h.t.clock.set(new Date(approval.expiresAt.getTime() + 60_000));
  expect(await expireApprovals(h.t.ctx)).toContain(approval.key);
  const updates = await h.fake.waitForCall('chat.update', copies);
  for (const u of updates) expect(liveButtons(u.args.blocks)).toEqual([]);
  expect(JSON.stringify(updates[0].args.blocks)).toMatch(/[Ee]xpired/);
});
