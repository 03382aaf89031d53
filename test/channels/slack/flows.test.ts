/**
 * Whole flows through the real Bolt app and the real conversation: propose through the intake
 * modal (field errors, Slack's retry), approve from the approval messages the notifier posted
 * (chat.update of every approver's copy), reject from the App Home (reason modal), and the Home.
 */
import { APPROVE_ACTION_ID, INTAKE_FORM_ID, inputBlockId, REJECT_ACTION_ID, REJECT_FORM_ID } from '../../../src/conversation/actions';
import { approvalCard } from '../../../src/conversation/cards/approval';
import { indexPeople } from '../../../src/conversation/cards/format';
import { INTAKE_INPUTS } from '../../../src/conversation/cards/forms/intakeForm';
import { REJECT_INPUTS } from '../../../src/conversation/cards/forms/smallForms';
import { requestAdvance } from '../../../src/domain/usecases/requestAdvance';
import type { Approval, Person } from '../../../src/domain/types';
import { registerTeam, registerTestPerson, type Team } from '../../support/people';
import { interactionBody, postSigned } from '../../support/slackSigning';
import { proposeTestUseCase } from '../../support/usecases';
import { intakeAnswers } from './support/answers';
import { buttonIn, slackDriver, textOf } from './support/drive';
import { countAll, delay, useSlackHarness } from './support/harness';
import { inputBlockIds, stateFor } from './support/modal';
import { appHomeOpened, blockAction, viewSubmission } from './support/payloads';

const h = useSlackHarness();
const slack = slackDriver(h);
let team: Team;
let pm: Person;
/** A second product manager, so a high-risk gate has two approvers besides the requester. */
let pm2: Person;

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  pm = team.llm_product_manager!;
  pm2 = await registerTestPerson(h.t.ctx, ['llm_product_manager'], 'Second PM');
});

const person = async (id: string): Promise<Person> => (await h.t.ctx.repos.people.findById(id))!;
const dmOf = (p: Person) => `D${p.slackUserId!.replace(/^U/, '')}`;

/** Requests the gate and sends the approval card to each approver as the outbox would. */
async function requestAndNotify(title: string): Promise<Approval> {
  const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'high', { title });
  const { approval } = await requestAdvance(h.t.ctx, { actorId: pm.id, key: uc.key });
  h.fake.expect('conversations.open').expect('chat.postMessage');
  const card = approvalCard({ approval, policy: h.t.ctx.policy, people: indexPeople(await h.t.ctx.repos.people.list()), now: h.t.clock.now(), useCase: uc });
  for (const id of approval.approverIds) {
    await h.channel.notifier.send({ key: `approval.requested:${approval.key}:${id}`, to: { personId: id }, card, text: card.title });
  }
  return approval;
}

describe('propose through the intake modal', () => {
  it('shows field errors on the modal, then creates exactly one use case with its tier even when Slack retries', async () => {
    const view = await slack.open(pm, 'propose');
    expect(view.callback_id).toBe(INTAKE_FORM_ID);

    const before = (await h.t.ctx.repos.useCases.list()).length;
    const partial = await slack.submit(pm, view, { [inputBlockId(INTAKE_INPUTS.title)]: 'Contract summariser' });
    expect(partial.status).toBe(200);
    expect(partial.body?.response_action).toBe('errors');
    const errorIds = Object.keys(partial.body!.errors);
    expect(errorIds).toEqual([inputBlockId(INTAKE_INPUTS.description)]);
    expect(errorIds.every((id) => inputBlockIds(view).includes(id))).toBe(true);
    expect(await h.t.ctx.repos.useCases.list()).toHaveLength(before);

    h.fake.expect('chat.postMessage');
    const submission = interactionBody(
      viewSubmission({ userId: pm.slackUserId!, callbackId: INTAKE_FORM_ID, values: stateFor(view, intakeAnswers('Contract summariser', 'high')), opened: view, viewId: 'VINTAKE1', hash: '1.a' }),
    );
    const ok = await postSigned(h.url, submission);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const [dm] = await h.fake.waitForCall('chat.postMessage');
    expect(dm!.args.channel).toBe(pm.slackUserId);
    const created = (await h.t.ctx.repos.useCases.list()).filter((u) => u.title === 'Contract summariser');
    expect(created).toHaveLength(1);
    expect(created[0]!.tier).toBe('high');
    expect(textOf(dm!.args)).toContain(created[0]!.key);

    const retry = await postSigned(h.url, submission, { retryNum: 1 });
    expect(retry.status).toBe(200);
    await delay(200);
    expect((await h.t.ctx.repos.useCases.list()).filter((u) => u.title === 'Contract summariser')).toHaveLength(1);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });
});

describe('approve from the approval messages', () => {
  it('records each vote and edits every stored copy with chat.update; a retried click does nothing', async () => {
    const approval = await requestAndNotify('Support reply drafts');
    expect(approval.approverIds.sort()).toEqual([pm2.id, team.ai_governance_legal!.id].sort());
    const posted = h.fake.callsOf('chat.postMessage');
    expect(posted).toHaveLength(2);
    const refs = await h.channel.notifier['deps'].messages.listBySubject(approval.key);
    expect(refs).toHaveLength(2);

    h.fake.reset();
    h.fake.expect('chat.update');
    for (const approverId of approval.approverIds) {
      const approver = await person(approverId);
      const ref = refs.find((r) => r.channel === dmOf(approver))!;
      const blocks = posted.find((p) => p.args.channel === ref.channel)!.args.blocks as Record<string, any>[];
      const button = buttonIn({ blocks }, APPROVE_ACTION_ID, approval.key);
      const payload = blockAction({
        userId: approver.slackUserId!,
        actionId: button.action_id,
        value: button.value,
        responseUrl: h.fake.responseUrl(`approve-${approverId}`),
        container: { type: 'message', channel_id: ref.channel, message_ts: ref.ts, is_ephemeral: false },
        messageBlocks: blocks,
      });
      expect((await postSigned(h.url, interactionBody(payload))).status).toBe(200);
      await slack.postsFor(`approve-${approverId}`, 1);
      expect(h.fake.callsOf('chat.update').some((c) => c.args.channel === ref.channel && c.args.ts === ref.ts)).toBe(true);
      const votes = (await h.t.ctx.repos.approvals.get(approval.key))!.votes.length;
      // Slack retries the same click: no second vote, no second reply.
      expect((await postSigned(h.url, interactionBody(payload), { retryNum: 1 })).status).toBe(200);
      await delay(150);
      expect((await h.t.ctx.repos.approvals.get(approval.key))!.votes).toHaveLength(votes);
      expect(h.fake.responseUrlPosts.filter((p) => p.id === `approve-${approverId}`)).toHaveLength(1);
    }
    const last = (await h.t.ctx.repos.approvals.get(approval.key))!;
    expect(last.status).toBe('approved');
    expect(last.votes.filter((v) => v.decision === 'approve')).toHaveLength(2);
    // Every approver's copy ends showing the decision and no Approve button.
    for (const ref of refs) {
      const final = h.fake.callsOf('chat.update').filter((c) => c.args.channel === ref.channel && c.args.ts === ref.ts).at(-1);
      expect(final).toBeDefined();
      expect(textOf(final!.args)).toMatch(/Approved/);
      expect(JSON.stringify(final!.args.blocks)).not.toContain(APPROVE_ACTION_ID);
    }
  });
});

describe('reject from the App Home', () => {
  it('opens the reason modal, refuses an empty reason, then rejects and edits the approval messages', async () => {
    const approval = await requestAndNotify('Marketing copy generator');
    const refs = await h.channel.notifier['deps'].messages.listBySubject(approval.key);
    const approver = await person(approval.approverIds[0]!);

    h.fake.reset();
    h.fake.expect('views.open').expect('views.publish');
    const click = blockAction({ userId: approver.slackUserId!, actionId: REJECT_ACTION_ID, value: approval.key, view: { id: 'VHOME', type: 'home' }, container: { type: 'view', view_id: 'VHOME' } });
    expect((await postSigned(h.url, interactionBody(click))).status).toBe(200);
    const [open] = await h.fake.waitForCall('views.open');
    const modal = open!.args.view as Record<string, any>;
    expect(modal.callback_id).toBe(REJECT_FORM_ID);
    expect(JSON.parse(modal.private_metadata)).toEqual({ approvalKey: approval.key });
    await h.fake.waitForCall('views.publish'); // the Home refreshes after a click in it

    const reason = (r: string) => stateFor(modal, { [inputBlockId(REJECT_INPUTS.reason)]: r });
    const submit = (r: string) => viewSubmission({ userId: approver.slackUserId!, callbackId: REJECT_FORM_ID, values: reason(r), opened: modal, viewId: 'VREJ', hash: 'h1' });
    const short = await postSigned(h.url, interactionBody(submit('no')));
    expect(JSON.parse(short.text)).toEqual({ response_action: 'errors', errors: { [inputBlockId(REJECT_INPUTS.reason)]: expect.stringMatching(/Reason/) } });
    expect((await h.t.ctx.repos.approvals.get(approval.key))!.status).toBe('pending');

    h.fake.expect('chat.update').expect('chat.postMessage');
    const before = await countAll(h.t);
    const ok = await postSigned(h.url, interactionBody(submit('No injection tests in the suite yet.')));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    await h.fake.waitForCall('chat.update', refs.length);
    const stored = (await h.t.ctx.repos.approvals.get(approval.key))!;
    expect(stored.status).toBe('rejected');
    expect(stored.votes.find((v) => v.personId === approver.id)?.reason).toBe('No injection tests in the suite yet.');
    for (const ref of refs) expect(h.fake.callsOf('chat.update').some((c) => c.args.channel === ref.channel && c.args.ts === ref.ts)).toBe(true);
    expect(textOf(h.fake.callsOf('chat.update')[0]!.args)).toMatch(/Rejected/);
    const [dm] = await h.fake.waitForCall('chat.postMessage');
    expect(dm!.args.channel).toBe(approver.slackUserId);
    expect((await countAll(h.t)).approvals).toBe(before.approvals);
  });
});

describe('App Home', () => {
  it('publishes the Home with my use cases, approvals, incidents and reviews on app_home_opened', async () => {
    h.fake.expect('views.publish');
    const res = await postSigned(h.url, JSON.stringify(appHomeOpened(pm.slackUserId!)), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    const [publish] = await h.fake.waitForCall('views.publish');
    expect(publish!.args.user_id).toBe(pm.slackUserId);
    const view = publish!.args.view as Record<string, any>;
    expect(view.type).toBe('home');
    const blocks = JSON.stringify(view.blocks);
    expect(blocks).toContain('Your use cases');
    expect(blocks).toContain('Contract summariser');
    expect(blocks).toMatch(/Approvals waiting for you|Nothing is waiting/);
    expect(blocks).toMatch(/incidents/i);
    expect(blocks).toMatch(/[Rr]eviews/);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    // Slack refuses a view whose block_ids repeat.
    const ids = (view.blocks as Array<{ block_id?: string }>).map((b) => b.block_id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows an unknown user how to register, and writes nothing', async () => {
    h.fake.expect('users.info', { user: { id: 'UNEW', profile: {} } }).expect('views.publish');
    const before = await countAll(h.t);
    await postSigned(h.url, JSON.stringify(appHomeOpened('UNEW')), { contentType: 'application/json' });
    const [publish] = await h.fake.waitForCall('views.publish');
    expect(JSON.stringify(publish!.args.view)).toMatch(/register/i);
    expect(await countAll(h.t)).toEqual(before);
  });
});
