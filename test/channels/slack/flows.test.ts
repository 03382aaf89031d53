/**
 * Buttons, modals and the App Home through the real Bolt app: propose (modal, errors, retry),
 * approve (chat.update of the stored approval message), reject (reason modal, then chat.update),
 * and the Home publish.
 */
import { APPROVE_ACTION_ID, INTAKE_FORM_ID, inputBlockId, INPUT_ACTION_ID, REJECT_ACTION_ID, REJECT_FORM_ID } from '../../../src/conversation/actions';
import { approvalCard } from '../../../src/conversation/cards/approval';
import { indexPeople } from '../../../src/conversation/cards/format';
import type { Approval } from '../../../src/domain/types';
import { proposeUseCase } from '../../../src/domain/usecases/proposeUseCase';
import { requestAdvance } from '../../../src/domain/usecases/requestAdvance';
import { interactionBody, postSigned, slashCommandBody } from '../../support/slackSigning';
import { minimalAnswers, standInConversation } from './support/standInConversation';
import { addPerson, countAll, delay, useSlackHarness } from './support/harness';
import { appHomeOpened, blockAction, slashCommand, viewSubmission } from './support/payloads';

let conversation: ReturnType<typeof standInConversation>;
const h = useSlackHarness((t) => (conversation = standInConversation(t.ctx)));
const SLACK_IDS: Record<string, string> = { pm: 'UPM', admin: 'UADMIN', legal: 'ULEGAL', pm2: 'UPM2' };
const text = (v: unknown) => JSON.stringify(v);

beforeAll(async () => {
  await addPerson(h.t, { id: 'pm', slackUserId: 'UPM', roles: ['llm_product_manager'] });
  await addPerson(h.t, { id: 'admin', slackUserId: 'UADMIN', roles: ['ai_coe_admin'] });
  await addPerson(h.t, { id: 'legal', slackUserId: 'ULEGAL', roles: ['ai_governance_legal'] });
  await addPerson(h.t, { id: 'pm2', slackUserId: 'UPM2', roles: ['llm_product_manager'] });
});

const titleState = (title: string) => ({ [inputBlockId('title')]: { [INPUT_ACTION_ID]: { type: 'plain_text_input', value: title } } });

/** Requests the gate and sends the approval card to each approver as the outbox would. */
async function requestAndNotify(title: string): Promise<Approval> {
  const uc = await proposeUseCase(h.t.ctx, { actorId: 'pm', title, answers: minimalAnswers(h.t.ctx.policy) });
  const { approval } = await requestAdvance(h.t.ctx, { actorId: 'pm', key: uc.key });
  h.fake.expect('conversations.open').expect('chat.postMessage');
  const card = approvalCard({ approval, policy: h.t.ctx.policy, people: indexPeople(await h.t.ctx.repos.people.list()), now: new Date() });
  for (const id of approval.approverIds) {
    await h.channel.notifier.send({ key: `approval.requested:${approval.key}:${id}`, to: { personId: id }, card, text: card.title });
  }
  return approval;
}

describe('propose through a modal', () => {
  it('opens the intake modal, shows field errors, then creates exactly one use case even when retried', async () => {
    h.fake.expect('views.open');
    await postSigned(h.url, slashCommandBody(slashCommand({ user_id: 'UPM', text: 'propose', response_url: h.fake.responseUrl('pr') })));
    const [open] = await h.fake.waitForCall('views.open');
    const view = open!.args.view as Record<string, any>;
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(INTAKE_FORM_ID);
    expect(text(view.blocks)).toContain(inputBlockId('title'));

    const before = (await h.t.ctx.repos.useCases.list()).length;
    const bad = await postSigned(h.url, interactionBody(viewSubmission({ userId: 'UPM', callbackId: INTAKE_FORM_ID, values: titleState('ab') })));
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.text)).toEqual({ response_action: 'errors', errors: { [inputBlockId('title')]: expect.stringMatching(/3 characters/) } });
    expect(await h.t.ctx.repos.useCases.list()).toHaveLength(before);

    h.fake.expect('chat.postMessage');
    const submission = interactionBody(viewSubmission({ userId: 'UPM', callbackId: INTAKE_FORM_ID, values: titleState('Contract summariser'), viewId: 'VINTAKE1', hash: '1.a' }));
    const ok = await postSigned(h.url, submission);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const [dm] = await h.fake.waitForCall('chat.postMessage');
    expect(dm!.args.channel).toBe('UPM');
    expect(String(dm!.args.text)).toMatch(/UC-\d+ proposed/);
    const retry = await postSigned(h.url, submission, { retryNum: 1 });
    expect(retry.status).toBe(200);
    await delay(200);
    const created = (await h.t.ctx.repos.useCases.list()).filter((u) => u.title === 'Contract summariser');
    expect(created).toHaveLength(1);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });
});

describe('approve from the approval message', () => {
  it('records the vote and edits the stored message(s) with chat.update; a retried click does nothing', async () => {
    const approval = await requestAndNotify('Support reply drafts');
    expect(approval.approverIds.length).toBeGreaterThan(0);
    const posted = h.fake.callsOf('chat.postMessage');
    expect(posted).toHaveLength(approval.approverIds.length);
    expect(text(posted[0]!.args.blocks)).toContain(APPROVE_ACTION_ID);
    const refs = await h.channel.notifier['deps'].messages.listBySubject(approval.key);
    expect(refs).toHaveLength(approval.approverIds.length);

    h.fake.reset();
    h.fake.expect('chat.update');
    let last: Approval | null = null;
    for (const approverId of approval.approverIds) {
      last = await h.t.ctx.repos.approvals.get(approval.key);
      if (last!.status !== 'pending') break;
      const ref = refs.find((r) => r.channel === `D${SLACK_IDS[approverId]!.slice(1)}`)!;
      const payload = blockAction({
        userId: SLACK_IDS[approverId]!,
        actionId: APPROVE_ACTION_ID,
        value: approval.key,
        responseUrl: h.fake.responseUrl(`approve-${approverId}`),
        container: { type: 'message', channel_id: ref.channel, message_ts: ref.ts, is_ephemeral: false },
      });
      const seenBefore = conversation.seen.length;
      expect((await postSigned(h.url, interactionBody(payload))).status).toBe(200);
      await h.fake.waitForResponseUrl(1);
      expect(h.fake.callsOf('chat.update').some((c) => c.args.channel === ref.channel && c.args.ts === ref.ts)).toBe(true);
      // Slack retries the same click: nothing reaches the conversation again.
      expect((await postSigned(h.url, interactionBody(payload), { retryNum: 1 })).status).toBe(200);
      await delay(150);
      expect(conversation.seen.length).toBe(seenBefore + 1);
      h.fake.responseUrlPosts.length = 0;
    }
    last = await h.t.ctx.repos.approvals.get(approval.key);
    expect(last!.status).toBe('approved');
    expect(last!.votes.filter((v) => v.decision === 'approve')).toHaveLength(last!.quorum);
    // Every approver's copy now shows the decision and no Approve button.
    const finalUpdates = new Map(h.fake.callsOf('chat.update').map((c) => [`${c.args.channel}:${c.args.ts}`, c]));
    for (const ref of refs) {
      const u = finalUpdates.get(`${ref.channel}:${ref.ts}`);
      expect(u).toBeDefined();
    }
    const lastUpdate = h.fake.callsOf('chat.update').at(-1)!;
    expect(text(lastUpdate.args.blocks)).not.toContain(APPROVE_ACTION_ID);
    expect(text(lastUpdate.args.blocks)).toMatch(/Approved/);
  });
});

describe('reject from the App Home', () => {
  it('opens the reason modal, refuses an empty reason, then rejects and edits the approval messages', async () => {
    const approval = await requestAndNotify('Marketing copy generator');
    const refs = await h.channel.notifier['deps'].messages.listBySubject(approval.key);
    const approverId = approval.approverIds[0]!;
    const userId = SLACK_IDS[approverId]!;

    h.fake.reset();
    h.fake.expect('views.open').expect('views.publish');
    const click = blockAction({ userId, actionId: REJECT_ACTION_ID, value: approval.key, view: { id: 'VHOME', type: 'home' }, container: { type: 'view', view_id: 'VHOME' } });
    expect((await postSigned(h.url, interactionBody(click))).status).toBe(200);
    const [open] = await h.fake.waitForCall('views.open');
    const modal = open!.args.view as Record<string, any>;
    expect(modal.callback_id).toBe(REJECT_FORM_ID);
    expect(JSON.parse(modal.private_metadata)).toEqual({ approvalKey: approval.key });
    await h.fake.waitForCall('views.publish'); // the Home refreshes after a click in it

    const reason = (r: string) => ({ [inputBlockId('reason')]: { [INPUT_ACTION_ID]: { type: 'plain_text_input', value: r } } });
    const short = await postSigned(h.url, interactionBody(viewSubmission({ userId, callbackId: REJECT_FORM_ID, values: reason('no'), hidden: { approvalKey: approval.key }, viewId: 'VREJ', hash: 'h1' })));
    expect(JSON.parse(short.text).response_action).toBe('errors');
    expect((await h.t.ctx.repos.approvals.get(approval.key))!.status).toBe('pending');

    h.fake.expect('chat.update').expect('chat.postMessage');
    const before = await countAll(h.t);
    const ok = await postSigned(h.url, interactionBody(viewSubmission({ userId, callbackId: REJECT_FORM_ID, values: reason('No injection tests in the suite yet.'), hidden: { approvalKey: approval.key }, viewId: 'VREJ', hash: 'h1' })));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    await h.fake.waitForCall('chat.update', refs.length);
    const stored = await h.t.ctx.repos.approvals.get(approval.key);
    expect(stored!.status).toBe('rejected');
    expect(stored!.votes.find((v) => v.personId === approverId)?.reason).toBe('No injection tests in the suite yet.');
    for (const ref of refs) expect(h.fake.callsOf('chat.update').some((c) => c.args.channel === ref.channel && c.args.ts === ref.ts)).toBe(true);
    expect(text(h.fake.callsOf('chat.update')[0]!.args.blocks)).toMatch(/Rejected/);
    await h.fake.waitForCall('chat.postMessage');
    expect((await countAll(h.t)).approvals).toBe(before.approvals);
  });
});

describe('App Home', () => {
  it('publishes the Home with my use cases, approvals, incidents and reviews on app_home_opened', async () => {
    h.fake.expect('views.publish');
    const res = await postSigned(h.url, JSON.stringify(appHomeOpened('UPM')), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    const [publish] = await h.fake.waitForCall('views.publish');
    expect(publish!.args.user_id).toBe('UPM');
    const view = publish!.args.view as Record<string, any>;
    expect(view.type).toBe('home');
    const blocks = text(view.blocks);
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
    expect(text(publish!.args.view)).toMatch(/register/i);
    expect(await countAll(h.t)).toEqual(before);
  });
});
