/**
 * A gate with four approvers, voted on in Teams with Action.Execute. The clicked card is
 * replaced by the invoke response (drawn for the voter); every other approver's copy is edited
 * once with updateActivity, drawn for its holder: buttons stay for those who have not voted.
 * A refused action (a late vote, the requester voting) answers with the refusal card in place,
 * and no separate message follows.
 */
import { APPROVE_ACTION_ID } from '../../../src/conversation/actions';
import { linkIdentity } from '../../../src/domain/people/linkIdentity';
import { SYSTEM_ACTOR } from '../../../src/domain/people/actor';
import type { Policy } from '../../../src/domain/policy';
import type { Person } from '../../../src/domain/types';
import { requestAdvance } from '../../../src/domain/usecases/requestAdvance';
import { messagesForEvent } from '../../../src/notifications/eventMessages';
import { registerTeam, type Team } from '../../support/people';
import { proposeTestUseCase } from '../../support/usecases';
import { cardAction, personalInstall, type Sender } from './support/activities';
import { cardsIn, newSender, useTeamsHarness } from './support/harness';

const FOUR = ['ai_security_specialist', 'ai_governance_legal', 'domain_expert', 'llmops_engineer'];

const fourApprovers = (p: Policy): Policy => ({
  ...p,
  lifecycle: {
    ...p.lifecycle,
    gates: p.lifecycle.gates.map((g, i) => (i === 0 ? { ...g, approvers: { ...g.approvers, minimal: { roles: FOUR, quorum: 4 } } } : g)),
  },
});

const h = useTeamsHarness();
let team: Team;
const senders = new Map<string, Sender>();
const json = (v: unknown) => JSON.stringify(v);
const voteButtons = (card: unknown): number => (json(card).match(new RegExp(`"verb":"${APPROVE_ACTION_ID.replace(/\./g, '\\.')}"`, 'g')) ?? []).length;

beforeAll(async () => {
  (h.t.ctx as { policy: Policy }).policy = fourApprovers(h.t.ctx.policy);
  team = await registerTeam(h.t.ctx);
  for (const person of Object.values(team)) {
    const s = newSender(person.name);
    senders.set(person.id, s);
    await linkIdentity(h.t.ctx, { actorId: SYSTEM_ACTOR, personId: person.id, teamsAadObjectId: s.aadObjectId });
    await h.post(personalInstall(h.fake.serviceUrl, s));
  }
  h.fake.reset();
});

/** Requests the gate and sends each approver their copy, as the outbox would. */
async function requestFour(title: string): Promise<{ approvalKey: string; copies: Map<string, string> }> {
  const pm = team.llm_product_manager!;
  const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'minimal', { title });
  h.t.events.length = 0;
  const { approval } = await requestAdvance(h.t.ctx, { actorId: pm.id, key: uc.key });
  const requested = h.t.events.find((e) => e.type === 'approval.requested')!;
  const copies = new Map<string, string>();
  for (const message of await messagesForEvent(h.t.ctx, requested)) {
    const { ref } = await h.channel.notifier.send(message);
    if ('personId' in message.to) copies.set(message.to.personId, ref);
  }
  expect(copies.size).toBe(4);
  return { approvalKey: approval.key, copies };
}

it('each vote: the voter’s card in the invoke response, every other copy edited once for its holder', async () => {
  const { approvalKey, copies } = await requestFour('Four approvers in Teams');
  const voters: Person[] = FOUR.map((role) => team[role]!);
  for (const [i, voter] of voters.entries()) {
    h.fake.reset();
    const res = await h.post(cardAction(h.fake.serviceUrl, senders.get(voter.id)!, APPROVE_ACTION_ID, { value: approvalKey }, copies.get(voter.id)));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(h.cardProblems(res.body.value)).toEqual([]);
    expect(voteButtons(res.body.value)).toBe(0);
    expect(json(res.body.value)).toContain(`${i + 1} of 4 approved`);
    const decided = i === voters.length - 1;
    if (!decided) expect(json(res.body.value)).toContain('Your approval is recorded');

    // The other three copies, once each; the clicked one only through the invoke response.
    const updates = h.fake.callsOf('update');
    const others = voters.filter((v) => v.id !== voter.id).map((v) => copies.get(v.id)!);
    expect(updates.map((u) => u.activityId).sort()).toEqual(others.sort());
    for (const other of voters.filter((v) => v.id !== voter.id)) {
      const card = cardsIn(updates.find((u) => u.activityId === copies.get(other.id))!.body)[0];
      const hasVoted = voters.indexOf(other) < i;
      expect(voteButtons(card)).toBe(decided || hasVoted ? 0 : 1);
      expect(json(card)).toContain(`${i + 1} of 4 approved`);
      if (decided) expect(json(card)).toMatch(/Approved/);
    }
    // No separate message: the answer is in place.
    expect(h.fake.delivered()).toHaveLength(0);
  }
  expect((await h.t.ctx.repos.approvals.get(approvalKey))!.status).toBe('approved');
});

it('a refused action answers with the refusal card in place, not "Done." and a second message', async () => {
  const { approvalKey, copies } = await requestFour('Refusals in Teams');
  h.fake.reset();
  // The requester may not vote on their own request (separation of duties).
  const pm = team.llm_product_manager!;
  const self = await h.post(cardAction(h.fake.serviceUrl, senders.get(pm.id)!, APPROVE_ACTION_ID, { value: approvalKey }));
  expect(self.status).toBe(200);
  expect(self.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(h.cardProblems(self.body.value)).toEqual([]);
  expect(json(self.body.value)).toMatch(/you cannot vote on it/);
  // A sentence for people; the code stays in logs and the API.
  expect(json(self.body.value)).not.toMatch(/approval\.self_approval|code:/);
  // A way back to the approval.
  expect(json(self.body.value)).toContain(`Show ${approvalKey}`);
  expect(h.fake.delivered()).toHaveLength(0);

  // A second click by someone who already voted.
  const voter = team.ai_security_specialist!;
  await h.post(cardAction(h.fake.serviceUrl, senders.get(voter.id)!, APPROVE_ACTION_ID, { value: approvalKey }, copies.get(voter.id)));
  h.fake.reset();
  const again = await h.post(cardAction(h.fake.serviceUrl, senders.get(voter.id)!, APPROVE_ACTION_ID, { value: approvalKey }, copies.get(voter.id)));
  expect(again.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(json(again.body.value)).toMatch(/already voted/);
  expect(h.fake.delivered()).toHaveLength(0);
  expect(h.fake.callsOf('update')).toHaveLength(0);
});
