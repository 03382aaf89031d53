/**
 * The Teams channel end to end: real activities over HTTP into the real CloudAdapter, the real
 * conversation and database, replies and proactive messages into a fake Bot Connector.
 */
import { APPROVE_ACTION_ID, INTAKE_FORM_ID, REJECT_ACTION_ID, REJECT_FORM_ID, SHOW_USE_CASE_ACTION_ID } from '../../../src/conversation/actions';
import { questionInputId } from '../../../src/conversation/cards/forms/intakeForm';
import type { Approval, Person } from '../../../src/domain/types';
import { messagesForEvent } from '../../../src/notifications/eventMessages';
import { conversationRefKey, personRefKey } from '../../../src/store/teamsRefs.repo';
import { registerTeam, type Team } from '../../support/people';
import { cardAction, channelMention, personalInstall, personalMessage, teamInstall, TEAM_CHANNEL_ID, type Sender } from './support/activities';
import { cardsIn, countAll, linkTeamsSenders, newSender, useTeamsHarness } from './support/harness';
import { fixtureChange } from '../../support/changes';

const h = useTeamsHarness();
let team: Team;
const senders = new Map<string, Sender>();
const senderOf = (p: Person): Sender => senders.get(p.id)!;
const json = (v: unknown) => JSON.stringify(v);

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  await linkTeamsSenders(h.t, Object.values(team), senders);
});

const pm = () => team.llm_product_manager!;

/** Intake form values as Teams submits them: every required question, lowest risk. */
function intakeData(title: string): Record<string, unknown> {
  const data: Record<string, unknown> = { title, description: 'Drafts first replies to support tickets for agents to edit.' };
  for (const q of h.t.ctx.policy.risk.questions) {
    if (!q.required) continue;
    const ids = (q.options ?? []).map((o) => o.id);
    data[questionInputId(q.id)] =
      q.kind === 'boolean' ? 'no' : q.kind === 'multi_select' ? (ids.includes('none') ? 'none' : ids.includes('internal') ? 'internal' : ids[0]) : q.kind === 'single_select' ? ids[0] : 'n/a';
  }
  return data;
}

describe('install', () => {
  it('stores the conversation reference of a team and of a personal install', async () => {
    const s = senderOf(pm());
    expect((await h.post(teamInstall(h.fake.serviceUrl, s))).status).toBe(200);
    const stored = await h.channel.refs.getConversation(conversationRefKey(TEAM_CHANNEL_ID));
    expect(stored?.reference.conversation.id).toBe(TEAM_CHANNEL_ID);
    expect(stored?.reference.serviceUrl).toBe(h.fake.serviceUrl);
    expect(stored?.reference).not.toHaveProperty('activityId');

    for (const person of Object.values(team)) {
      expect((await h.post(personalInstall(h.fake.serviceUrl, senderOf(person)))).status).toBe(200);
    }
    const mine = await h.channel.refs.getConversation(personRefKey(pm().id));
    expect(mine?.reference.conversation.id).toBe(s.personalConversationId);
    expect(mine?.reference.conversation.tenantId).toBeDefined();
    expect(h.fake.calls).toHaveLength(0); // installing sends nothing
  });
});

describe('commands in a channel and in the personal chat', () => {
  it('answers `@Steward help` in a channel with the help card, in the thread of the message', async () => {
    const activity = channelMention(h.fake.serviceUrl, senderOf(pm()), 'help');
    const res = await h.post(activity);
    expect(res.status).toBe(200);
    const [reply] = await h.fake.waitFor('reply');
    expect(reply!.conversationId).toBe(activity.conversation.id);
    expect(reply!.activityId).toBe(activity.id);
    const cards = cardsIn(reply!.body);
    expect(cards).toHaveLength(1);
    expect(cards[0].version).toBe('1.5');
    expect(cards[0].body[0].text).toBe('Steward commands');
    expect(json(cards[0])).toContain('propose');
    expect(h.cardProblems(cards[0])).toEqual([]);
  });
});

describe('propose through the intake form', () => {
  it('sends the form as a card with inputs, refuses a bad submission, then creates exactly one use case', async () => {
    const s = senderOf(pm());
    await h.post(personalMessage(h.fake.serviceUrl, s, 'propose'));
    const [reply] = await h.fake.waitFor('reply');
    expect(reply!.conversationId).toBe(s.personalConversationId);
    const [form] = cardsIn(reply!.body);
    expect(h.cardProblems(form)).toEqual([]);
    const submit = form.actions.find((a: any) => a.verb === INTAKE_FORM_ID);
    expect(submit.type).toBe('Action.Execute');
    expect(json(form.body)).toContain('"id":"title"');

    const before = await countAll(h.t);
    const bad = await h.post(cardAction(h.fake.serviceUrl, s, INTAKE_FORM_ID, { ...intakeData('ab') }));
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('application/vnd.microsoft.error');
    expect(bad.body.value.message).toMatch(/title/i);
    expect(await countAll(h.t)).toEqual(before);

    const ok = await h.post(cardAction(h.fake.serviceUrl, s, INTAKE_FORM_ID, intakeData('Support reply drafts')));
    expect(ok.status).toBe(200);
    expect(ok.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(h.cardProblems(ok.body.value)).toEqual([]);
    expect(json(ok.body.value)).toMatch(/UC-\d+/);
    const created = (await h.t.ctx.repos.useCases.list()).filter((u) => u.title === 'Support reply drafts');
    expect(created).toHaveLength(1);
    expect(created[0]!.proposerId).toBe(pm().id);
    expect(created[0]!.tier).toBe('minimal');
  });
});

/** Requests the gate through Teams and sends what the outbox would send for the event. */
async function advanceAndNotify(title: string): Promise<{ approval: Approval; activityIds: Map<string, string> }> {
  const s = senderOf(pm());
  await h.post(cardAction(h.fake.serviceUrl, s, INTAKE_FORM_ID, intakeData(title)));
  const uc = (await h.t.ctx.repos.useCases.list()).find((u) => u.title === title)!;
  h.t.events.length = 0;
  await h.post(personalMessage(h.fake.serviceUrl, s, `advance ${uc.key}`));
  const [reply] = await h.fake.waitFor('reply');
  expect(json(reply!.body)).toMatch(/APR-\d+/);
  const requested = h.t.events.find((e) => e.type === 'approval.requested')!;
  expect(requested).toBeDefined();
  const activityIds = new Map<string, string>();
  for (const message of await messagesForEvent(h.t.ctx, requested)) {
    const { ref } = await h.channel.notifier.send(message);
    // The governance channel's copy is skipped here: no governance conversation is configured.
    if ('personId' in message.to) activityIds.set(message.to.personId, ref);
  }
  const approval = (await h.t.ctx.repos.approvals.get((requested as { approvalKey: string }).approvalKey))!;
  return { approval, activityIds };
}

describe('approvals', () => {
  it('notifies each approver in their personal chat; approving refreshes the card and updates every copy', async () => {
    const { approval, activityIds } = await advanceAndNotify('Contract summariser');
    expect(approval.approverIds.length).toBeGreaterThan(0);
    const sends = h.fake.callsOf('send');
    expect(sends).toHaveLength(approval.approverIds.length);
    for (const id of approval.approverIds) {
      const sent = sends.find((c) => c.conversationId === senders.get(id)!.personalConversationId);
      expect(sent).toBeDefined();
      expect(json(cardsIn(sent!.body))).toContain(APPROVE_ACTION_ID);
      expect(activityIds.get(id)).toBeTruthy();
    }

    let last: Approval | null = approval;
    let lastResponse: unknown;
    for (const approverId of approval.approverIds) {
      if (last!.status !== 'pending') break;
      h.fake.reset();
      const res = await h.post(cardAction(h.fake.serviceUrl, senders.get(approverId)!, APPROVE_ACTION_ID, { value: approval.key }, activityIds.get(approverId)));
      expect(res.status).toBe(200);
      expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(h.cardProblems(res.body.value)).toEqual([]);
      lastResponse = res.body.value;
      // The refreshed card has no buttons left for this person.
      expect(json(res.body.value)).not.toContain(APPROVE_ACTION_ID);
      last = await h.t.ctx.repos.approvals.get(approval.key);
      expect(last!.votes.some((v) => v.personId === approverId && v.decision === 'approve')).toBe(true);
      // Every other stored copy of the request (one per approver) is updated in place, once;
      // the clicked one is replaced by the invoke response.
      const updates = h.fake.callsOf('update');
      const others = [...activityIds].filter(([id]) => id !== approverId).map(([, ref]) => ref);
      expect(updates.map((u) => u.activityId).sort()).toEqual(others.sort());
    }
    expect(last!.status).toBe('approved');
    // The deciding voter's card is the invoke response; any other copy got the decision by update.
    const finalCard = h.fake.callsOf('update').length ? cardsIn(h.fake.callsOf('update').at(-1)!.body)[0] : lastResponse;
    expect(json(finalCard)).toMatch(/[Aa]pproved/);
    expect(json(finalCard)).not.toContain('Action.Execute');
  });

  it('rejects through the reason form: the button opens the form in place, the submit decides', async () => {
    const { approval, activityIds } = await advanceAndNotify('Marketing copy generator');
    const approverId = approval.approverIds[0]!;
    const s = senders.get(approverId)!;
    h.fake.reset();

    const open = await h.post(cardAction(h.fake.serviceUrl, s, REJECT_ACTION_ID, { value: approval.key }, activityIds.get(approverId)));
    expect(open.status).toBe(200);
    const form = open.body.value;
    expect(h.cardProblems(form)).toEqual([]);
    const submit = form.actions.find((a: any) => a.verb === REJECT_FORM_ID);
    expect(submit.data).toEqual({ approvalKey: approval.key });

    const short = await h.post(cardAction(h.fake.serviceUrl, s, REJECT_FORM_ID, { ...submit.data, reason: 'no' }));
    expect(short.status).toBe(400);
    expect((await h.t.ctx.repos.approvals.get(approval.key))!.status).toBe('pending');

    const ok = await h.post(cardAction(h.fake.serviceUrl, s, REJECT_FORM_ID, { ...submit.data, reason: 'No injection tests in the suite yet.' }));
    expect(ok.status).toBe(200);
    expect(json(ok.body.value)).toMatch(/[Rr]ejected/);
    const stored = await h.t.ctx.repos.approvals.get(approval.key);
    expect(stored!.status).toBe('rejected');
    expect(stored!.votes.find((v) => v.personId === approverId)?.reason).toBe('No injection tests in the suite yet.');
    const updated = h.fake.callsOf('update').map((u) => u.activityId).sort();
    expect(updated).toEqual([...activityIds.values()].sort());
  });
});

describe('incidents', () => {
  it('reports an incident from a one-liner in a channel', async () => {
    const uc = (await h.t.ctx.repos.useCases.list())[0]!;
    await h.post(channelMention(h.fake.serviceUrl, senderOf(pm()), `incident ${uc.key} sev3 The bot quoted an internal wiki URL to a customer`));
    const [reply] = await h.fake.waitFor('reply');
    const [card] = cardsIn(reply!.body);
    expect(h.cardProblems(card)).toEqual([]);
    const incidents = await h.t.ctx.repos.incidents.list({ useCaseKey: uc.key });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.severity).toBe('sev3');
    expect(incidents[0]!.reporterId).toBe(pm().id);
    expect(json(card)).toContain(incidents[0]!.key);
  });
});

describe('legacy Action.Submit', () => {
  it('accepts a message activity whose value carries the verb (older clients)', async () => {
    const uc = (await h.t.ctx.repos.useCases.list())[0]!;
    const activity = personalMessage(h.fake.serviceUrl, senderOf(pm()), '');
    delete activity.text;
    activity.value = { verb: SHOW_USE_CASE_ACTION_ID, value: uc.key };
    await h.post(activity);
    const [reply] = await h.fake.waitFor('reply');
    const [card] = cardsIn(reply!.body);
    expect(card.body[0].text).toContain(uc.key);
  });
});

describe('identity', () => {
  it('tells an unknown user how to get registered, and writes nothing', async () => {
    const stranger = newSender('Stranger');
    const before = await countAll(h.t);
    await h.post(personalMessage(h.fake.serviceUrl, stranger, 'propose'));
    const [reply] = await h.fake.waitFor('reply');
    expect(json(reply!.body)).toMatch(/register/i);
    expect(h.fake.calls.filter((c) => c.op === 'getMember')).toHaveLength(1);
    const res = await h.post(cardAction(h.fake.serviceUrl, stranger, APPROVE_ACTION_ID, { value: 'APR-1' }));
    expect(res.status).toBe(200);
    expect(json(res.body)).toMatch(/register/i);
    expect(await countAll(h.t)).toEqual(before);
  });

  it('finds a person by the email Teams knows and links their Teams account', async () => {
    const person = team.ai_coe_admin!;
    const fresh = newSender(person.name);
    h.fake.members.set(fresh.id, { id: fresh.id, name: person.name, aadObjectId: fresh.aadObjectId, email: person.email!.toUpperCase(), userPrincipalName: person.email! });
    // The admin's earlier link is replaced by hand, as if they had never used Teams.
    await h.t.ctx.repos.people.update({ ...(await h.t.ctx.repos.people.findById(person.id))!, teamsAadObjectId: undefined }, fixtureChange());
    await h.post(personalMessage(h.fake.serviceUrl, fresh, 'help'));
    const [reply] = await h.fake.waitFor('reply');
    expect(json(reply!.body)).toContain('Steward commands');
    expect((await h.t.ctx.repos.people.findById(person.id))!.teamsAadObjectId).toBe(fresh.aadObjectId);
  });
});
