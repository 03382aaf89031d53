/**
 * Slack's 3-second rule with a slow database: real repository methods of the test's context are
 * wrapped with delays, so identity, the retry claim and the conversation together take longer
 * than Slack waits. The HTTP answer must still arrive inside 3 s, and the result later: through
 * response_url (commands, buttons), views.open (buttons that open a form) or a DM (forms).
 */
import { INTAKE_FORM_ID, inputBlockId, OPEN_INTAKE_ACTION_ID } from '../../../src/conversation/actions';
import { INTAKE_INPUTS } from '../../../src/conversation/cards/forms/intakeForm';
import type { Person } from '../../../src/domain/types';
import { interactionBody, postSigned, slashCommandBody } from '../../support/slackSigning';
import { proposeTestUseCase } from '../../support/usecases';
import { intakeAnswers } from './support/answers';
import { slackDriver, textOf } from './support/drive';
import { addPerson, delay, useSlackHarness } from './support/harness';
import { stateFor } from './support/modal';
import { blockAction, slashCommand, viewSubmission } from './support/payloads';

const h = useSlackHarness();
const slack = slackDriver(h);
const undo: Array<() => void> = [];

afterEach(() => {
  for (const u of undo.splice(0)) u();
});

/** Wraps one method of a real repository in the test's context with a delay (undone after each test). */
function slowDown<T extends object>(repo: T, method: keyof T & string, ms: number): void {
  const original = repo[method] as unknown as (...a: unknown[]) => Promise<unknown>;
  (repo as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    await delay(ms);
    return original.apply(repo, args);
  };
  undo.push(() => {
    (repo as Record<string, unknown>)[method] = original;
  });
}

let seq = 0;
/**
 * A person this file has not seen yet, so the identity lookup really reads the (slow) database
 * instead of the channel's cache of known Slack users.
 */
async function freshPerson(): Promise<Person> {
  seq += 1;
  return addPerson(h.t, { id: `slow${seq}`, slackUserId: `USLOW${seq}`, roles: ['llm_product_manager'] });
}

/** The intake modal exactly as the app opens it (views.open), for submissions by anyone. */
async function intakeView(): Promise<Record<string, any>> {
  const view = await slack.open(await freshPerson(), 'propose');
  expect(view.callback_id).toBe(INTAKE_FORM_ID);
  return view;
}

describe('/steward with a slow database', () => {
  it('acks the slash command at once while the database takes 4 s; the reply follows at response_url', async () => {
    const who = await freshPerson();
    const uc = await proposeTestUseCase(h.t.ctx, who.id, 'minimal', { title: 'Slow path summariser' });
    slowDown(h.t.ctx.repos.people, 'findBySlackUserId', 2000);
    slowDown(h.t.ctx.repos.useCases, 'get', 2000);
    const started = Date.now();
    const body = slashCommandBody(slashCommand({ user_id: who.slackUserId!, text: `show ${uc.key}`, response_url: h.fake.responseUrl('slow') }));
    const res = await postSigned(h.url, body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.ms).toBeLessThan(1000); // far inside Slack's 3 s, although the work takes 4 s
    expect(h.fake.responseUrlPosts).toHaveLength(0);
    const [post] = await h.fake.waitForResponseUrl(1, 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(post!.id).toBe('slow');
    expect(JSON.stringify(post!.body.blocks)).toContain('Slow path summariser');
  });
});

describe('view_submission with a slow database', () => {
  it('closes the modal inside 3 s although identity, claim and save take 3.6 s; the result follows as a DM', async () => {
    const view = await intakeView();
    const who = await freshPerson();
    slowDown(h.t.ctx.repos.people, 'findBySlackUserId', 1200);
    slowDown(h.t.ctx.repos.claims, 'claim', 1200);
    slowDown(h.t.ctx.repos.useCases, 'create', 1200);
    h.fake.expect('chat.postMessage');
    const started = Date.now();
    const payload = viewSubmission({ userId: who.slackUserId!, callbackId: INTAKE_FORM_ID, values: stateFor(view, intakeAnswers('Slow form summariser', 'minimal')), opened: view });
    const res = await postSigned(h.url, interactionBody(payload));
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // a plain ack: Slack closes the modal
    expect(res.ms).toBeLessThan(3000);
    // The answer came from the budget, not from finished work: nothing is saved or sent yet.
    expect(res.ms).toBeGreaterThanOrEqual(2000);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(0);

    const [dm] = await h.fake.waitForCall('chat.postMessage', 1, 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3600);
    expect(dm!.args.channel).toBe(who.slackUserId);
    const created = (await h.t.ctx.repos.useCases.list()).filter((u) => u.title === 'Slow form summariser');
    expect(created).toHaveLength(1);
    expect(created[0]!.ownerId).toBe(who.id);
    expect(textOf(dm!.args)).toContain(created[0]!.key);
  });

  it('a slow submission with a missing answer is closed in time; what was wrong follows as a DM and nothing is saved', async () => {
    const view = await intakeView();
    const who = await freshPerson();
    slowDown(h.t.ctx.repos.people, 'findBySlackUserId', 1500);
    slowDown(h.t.ctx.repos.claims, 'claim', 1500);
    h.fake.expect('chat.postMessage');
    const before = (await h.t.ctx.repos.useCases.list()).length;
    const payload = viewSubmission({ userId: who.slackUserId!, callbackId: INTAKE_FORM_ID, values: stateFor(view, { [inputBlockId(INTAKE_INPUTS.title)]: 'Half filled' }), opened: view });
    const res = await postSigned(h.url, interactionBody(payload));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(res.text).toBe('');

    const [dm] = await h.fake.waitForCall('chat.postMessage', 1, 15_000);
    expect(dm!.args.channel).toBe(who.slackUserId);
    expect(textOf(dm!.args)).toMatch(/not saved/i);
    expect(textOf(dm!.args)).toMatch(/description/i);
    expect((await h.t.ctx.repos.useCases.list()).length).toBe(before);
  });

  it('an unknown user whose lookup outlasts the budget gets the modal closed in time and the registration hint by DM', async () => {
    const view = await intakeView();
    h.fake.expect('users.info', { user: { id: 'UNOBODYSLOW', deleted: false, profile: { email: 'nobody.slow@example.com' } } });
    h.fake.expect('chat.postMessage');
    slowDown(h.t.ctx.repos.people, 'findBySlackUserId', 2800);
    const before = (await h.t.ctx.repos.useCases.list()).length;
    const payload = viewSubmission({ userId: 'UNOBODYSLOW', callbackId: INTAKE_FORM_ID, values: stateFor(view, intakeAnswers('Nobody', 'minimal')), opened: view });
    const res = await postSigned(h.url, interactionBody(payload));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(res.text).toBe('');
    const [dm] = await h.fake.waitForCall('chat.postMessage', 1, 15_000);
    expect(dm!.args.channel).toBe('UNOBODYSLOW');
    expect(textOf(dm!.args)).toMatch(/register/i);
    expect((await h.t.ctx.repos.useCases.list()).length).toBe(before);
  });
});

describe('block_actions that open a modal, with a slow database', () => {
  const clickOpenIntake = (who: Person, responseId: string) =>
    postSigned(
      h.url,
      interactionBody(
        blockAction({
          userId: who.slackUserId!,
          actionId: OPEN_INTAKE_ACTION_ID,
          value: '',
          responseUrl: h.fake.responseUrl(responseId),
          container: { type: 'message', channel_id: 'C2147483705', message_ts: '1700000000.000100', is_ephemeral: true },
        }),
      ),
    );

  it('acks the click at once while the database takes 4 s; the modal opens afterwards', async () => {
    const who = await freshPerson();
    slowDown(h.t.ctx.repos.people, 'findBySlackUserId', 2000);
    slowDown(h.t.ctx.repos.models, 'list', 2000);
    h.fake.expect('views.open');
    const started = Date.now();
    const res = await clickOpenIntake(who, 'open-slow');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.ms).toBeLessThan(1000);
    expect(h.fake.callsOf('views.open')).toHaveLength(0);
    const [open] = await h.fake.waitForCall('views.open', 1, 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect((open!.args.view as Record<string, any>).callback_id).toBe(INTAKE_FORM_ID);
  });

  it('when the trigger id expired meanwhile, says the form could not be opened in time (not an apology)', async () => {
    const who = await freshPerson();
    slowDown(h.t.ctx.repos.people, 'findBySlackUserId', 1500);
    slowDown(h.t.ctx.repos.models, 'list', 1600);
    // What Slack answers views.open once the click's trigger id is older than 3 s.
    h.fake.expect('views.open', () => ({ ok: false, error: 'expired_trigger_id' }));
    const res = await clickOpenIntake(who, 'open-expired');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    const [post] = await h.fake.waitForResponseUrl(1, 15_000);
    expect(post!.id).toBe('open-expired');
    expect(post!.body.response_type).toBe('ephemeral');
    expect(textOf(post!.body)).toMatch(/could not be opened in time/i);
    expect(textOf(post!.body)).not.toMatch(/went wrong/i);
    expect(h.fake.callsOf('views.open')).toHaveLength(1);
  });
});
