/**
 * Every button the cards carry and every modal, clicked and submitted over signed HTTP with the
 * real conversation: each button is taken from a message the app really posted (so the card
 * must carry it), and each modal is filled from the view the app really opened, submitted with
 * Slack's `view.state.values` shape.
 */
import { BUTTON_ACTION_IDS } from '../../../src/channels/slack/listeners/actions';
import {
  ADVANCE_ACTION_ID,
  ART73_FORM_ID,
  EVIDENCE_FORM_ID,
  FORM_IDS,
  APPROVE_ACTION_ID,
  INCIDENT_STATUS_ACTION_ID,
  OPEN_ART73_FORM_ACTION_ID,
  OPEN_EVIDENCE_FORM_ACTION_ID,
  OPEN_UPDATE_FORM_ACTION_ID,
  RESUME_ACTION_ID,
  UPDATE_FORM_ID,
  INCIDENT_FORM_ID,
  inputBlockId,
  INTAKE_FORM_ID,
  KILL_SWITCH_ACTION_ID,
  OPEN_INCIDENT_ACTION_ID,
  OPEN_INTAKE_ACTION_ID,
  OPEN_REJECT_FORM_ACTION_ID,
  OPEN_REVIEW_DONE_ACTION_ID,
  PAGE_ACTION_ID,
  RACI_ACTION_ID,
  REJECT_ACTION_ID,
  REJECT_FORM_ID,
  REVIEW_DONE_FORM_ID,
  SHOW_APPROVAL_ACTION_ID,
  SHOW_INCIDENT_ACTION_ID,
  SHOW_MODEL_ACTION_ID,
  SHOW_USE_CASE_ACTION_ID,
  SUSPEND_ACTION_ID,
  WHO_APPROVES_ACTION_ID,
  OPEN_FRIA_FORM_ACTION_ID,
  OPEN_LINK_ACTION_ID,
  FRIA_FORM_ID,
} from '../../../src/conversation/actions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ART73_INPUTS } from '../../../src/conversation/cards/forms/art73ReportForm';
import { INCIDENT_INPUTS } from '../../../src/conversation/cards/forms/incidentForm';
import { EVIDENCE_INPUTS } from '../../../src/conversation/cards/forms/useCaseForms';
import { reportIncident } from '../../../src/domain/incidents/reportIncident';
import { REJECT_INPUTS, REVIEW_DONE_INPUTS } from '../../../src/conversation/cards/forms/smallForms';
import { registerModel } from '../../../src/domain/registry/registerModel';
import type { Approval, Person, UseCase } from '../../../src/domain/types';
import { registerTeam, type Team } from '../../support/people';
import { proposeTestUseCase } from '../../support/usecases';
import { intakeAnswers } from './support/answers';
import { buttonIn, slackDriver, textOf, type Posted } from './support/drive';
import { useSlackHarness } from './support/harness';
import { inputBlockIds } from './support/modal';

type Json = Record<string, any>;
const h = useSlackHarness();
const slack = slackDriver(h);
let team: Team;
let pm: Person;

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  pm = team.llm_product_manager!;
});

const person = async (id: string): Promise<Person> => (await h.t.ctx.repos.people.findById(id))!;
const replies = (r: Posted[] | Json) => r as Posted[];
const modal = (r: Posted[] | Json) => r as Json;

/** A minimal use case advanced by its owner: the pending approval and its only approver. */
async function pendingApproval(title: string): Promise<{ uc: UseCase; approval: Approval; approver: Person }> {
  const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'minimal', { title });
  await slack.say(pm, `advance ${uc.key}`);
  const [approval] = await h.t.ctx.repos.approvals.list({ useCaseKey: uc.key });
  return { uc, approval: approval!, approver: await person(approval!.approverIds[0]!) };
}

/** The form's DM after a closed modal (chat.postMessage to the user's id). */
async function dmAfter(before: number, who: Person): Promise<Json> {
  const posts = await h.fake.waitForCall('chat.postMessage', before + 1);
  expect(posts[before]!.args.channel).toBe(who.slackUserId);
  return posts[before]!.args;
}

describe('use case buttons', () => {
  it('page next, show use case, who approves, raci, advance and suspend', async () => {
    for (let i = 0; i < 12; i++) await proposeTestUseCase(h.t.ctx, pm.id, 'minimal', { title: `Bulk ${i}` });
    const [page1] = await slack.say(team.domain_expert!, 'list');
    expect(page1!.text).toMatch(/1\s*\/\s*2|page 1/i);
    const [page2] = replies(await slack.click(team.domain_expert!, page1!, buttonIn(page1!, PAGE_ACTION_ID)));
    expect(page2!.text).toContain('Bulk 11');
    expect(page2!.text).not.toContain('Bulk 0*');

    const open = buttonIn(page2!, SHOW_USE_CASE_ACTION_ID);
    const [card] = replies(await slack.click(pm, page2!, open));
    expect(card!.text).toContain(open.value);

    const [who] = replies(await slack.click(pm, card!, buttonIn(card!, WHO_APPROVES_ACTION_ID)));
    expect(who!.text).toContain(`Who approves · ${open.value}`);
    const [raci] = replies(await slack.click(pm, card!, buttonIn(card!, RACI_ACTION_ID)));
    expect(raci!.text).toContain(`RACI · ${open.value}`);
    expect(raci!.text).toContain('Accountable');

    const [requested] = replies(await slack.click(pm, card!, buttonIn(card!, ADVANCE_ACTION_ID)));
    const [approval] = await h.t.ctx.repos.approvals.list({ useCaseKey: open.value });
    expect(approval!.status).toBe('pending');
    expect(requested!.text).toContain(approval!.key);

    const [suspended] = replies(await slack.click(pm, card!, buttonIn(card!, SUSPEND_ACTION_ID)));
    expect((await h.t.ctx.repos.useCases.get(open.value))!.stage).toBe('suspended');
    expect(suspended!.text).toMatch(/Suspended/);
    // Suspending cancels the pending gate request, so it cannot advance the use case behind the switch.
    expect((await h.t.ctx.repos.approvals.get(approval!.key))!.status).not.toBe('pending');
  });
});

describe('approval buttons and the reject modal', () => {
  it('show approval -> approve from the card: the vote is recorded and the card replaced without buttons', async () => {
    const { approval, approver } = await pendingApproval('Release notes drafter');
    const [list] = await slack.say(approver, 'approvals');
    const [card] = replies(await slack.click(approver, list!, buttonIn(list!, SHOW_APPROVAL_ACTION_ID, approval.key)));
    expect(card!.text).toContain(`${approval.key} · Approval requested`);

    const posts = replies(await slack.click(approver, card!, buttonIn(card!, APPROVE_ACTION_ID, approval.key), { replies: 2 }));
    const replaced = posts.find((p) => p.body.replace_original === true)!;
    expect(replaced.text).toContain(`${approval.key} · Approved`);
    expect(JSON.stringify(replaced.blocks)).not.toContain(APPROVE_ACTION_ID);
    const stored = (await h.t.ctx.repos.approvals.get(approval.key))!;
    expect(stored.status).toBe('approved');
    expect(stored.votes).toEqual([expect.objectContaining({ personId: approver.id, decision: 'approve' })]);
  });

  it('reject opens the reason modal; submitting it rejects and DMs the decision', async () => {
    const { uc, approval, approver } = await pendingApproval('Meeting summariser');
    const [list] = await slack.say(approver, 'approvals');
    const [card] = replies(await slack.click(approver, list!, buttonIn(list!, SHOW_APPROVAL_ACTION_ID, approval.key)));
    const view = modal(await slack.click(approver, card!, buttonIn(card!, REJECT_ACTION_ID, approval.key), 'modal'));
    expect(view.callback_id).toBe(REJECT_FORM_ID);

    const before = h.fake.callsOf('chat.postMessage').length;
    h.fake.expect('chat.postMessage');
    const res = await slack.submit(approver, view, { [inputBlockId(REJECT_INPUTS.reason)]: 'No evaluation plan yet' });
    expect(res).toEqual({ status: 200, body: null });
    const dm = await dmAfter(before, approver);
    expect(textOf(dm)).toContain(`${approval.key} · Rejected`);
    const stored = (await h.t.ctx.repos.approvals.get(approval.key))!;
    expect(stored.status).toBe('rejected');
    expect(stored.reasons.join(' ')).toContain('No evaluation plan yet');
    expect((await h.t.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation');
  });

  it('the "Give a reason" button opens the reject modal; a refusal lands on the reason input, not nowhere', async () => {
    const { approval, approver } = await pendingApproval('Ticket tagger');
    const [scolded] = await slack.say(approver, `reject ${approval.key}`);
    const view = modal(await slack.click(approver, scolded!, buttonIn(scolded!, OPEN_REJECT_FORM_ACTION_ID, approval.key), 'modal'));
    expect(JSON.parse(view.private_metadata)).toEqual({ approvalKey: approval.key });
    // The requester may not vote on their own request: the domain refuses the whole form.
    const refused = await slack.submit(pm, view, { [inputBlockId(REJECT_INPUTS.reason)]: 'I changed my mind' });
    expect(refused.status).toBe(200);
    expect(refused.body?.response_action).toBe('errors');
    expect(Object.keys(refused.body!.errors)).toEqual([inputBlockId(REJECT_INPUTS.reason)]);
    expect(inputBlockIds(view)).toContain(inputBlockId(REJECT_INPUTS.reason));
    expect((await h.t.ctx.repos.approvals.get(approval.key))!.votes).toEqual([]);
  });
});

describe('incidents, models and reviews', () => {
  it('report incident from a use case card (modal, kill switch), show incident, and the kill switch button', async () => {
    const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'minimal', { title: 'Sales email helper' });
    const [card] = await slack.say(pm, `show ${uc.key}`);
    const view = modal(await slack.click(pm, card!, buttonIn(card!, OPEN_INCIDENT_ACTION_ID, uc.key), 'modal'));
    expect(view.callback_id).toBe(INCIDENT_FORM_ID);
    const before = h.fake.callsOf('chat.postMessage').length;
    h.fake.expect('chat.postMessage');
    const res = await slack.submit(pm, view, {
      [inputBlockId(INCIDENT_INPUTS.useCase)]: uc.key,
      [inputBlockId(INCIDENT_INPUTS.category)]: 'prompt_injection',
      [inputBlockId(INCIDENT_INPUTS.severity)]: 'sev3',
      [inputBlockId(INCIDENT_INPUTS.description)]: 'A web page made the assistant ignore its instructions',
    });
    expect(res).toEqual({ status: 200, body: null });
    const [incident] = await h.t.ctx.repos.incidents.list({ useCaseKey: uc.key });
    expect(incident).toMatchObject({ severity: 'sev3', category: 'prompt_injection', killSwitch: false });
    expect(textOf(await dmAfter(before, pm))).toContain(incident!.key);

    const [list] = await slack.say(team.ai_security_specialist!, 'incidents open');
    const [shown] = replies(await slack.click(team.ai_security_specialist!, list!, buttonIn(list!, SHOW_INCIDENT_ACTION_ID, incident!.key)));
    expect(shown!.text).toContain(incident!.key);
    const [after] = replies(await slack.click(team.ai_security_specialist!, shown!, buttonIn(shown!, KILL_SWITCH_ACTION_ID, incident!.key)));
    expect((await h.t.ctx.repos.useCases.get(uc.key))!.stage).toBe('suspended');
    expect(after!.text).toContain(incident!.key);
  });

  it('show model from the registry list', async () => {
    await registerModel(h.t.ctx, {
      actorId: team.llmops_engineer!.id,
      name: 'btn-model',
      displayName: 'Button model',
      provider: 'meta',
      version: '1',
      hosting: 'self_hosted',
      baseUrl: 'http://127.0.0.1:9/v1',
      modelName: 'm',
      allowedDataClasses: ['public'],
      pricePer1kInput: 0,
      pricePer1kOutput: 0,
    } as never);
    const [list] = await slack.say(team.domain_expert!, 'models');
    const [card] = replies(await slack.click(team.domain_expert!, list!, buttonIn(list!, SHOW_MODEL_ACTION_ID, 'btn-model')));
    expect(card!.text).toContain('Button model (btn-model)');
  });

  it('record review from the reviews list opens the review-done modal; submitting it records the review', async () => {
    const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'high', { title: 'HR screening helper' });
    await slack.say(pm, `review done ${uc.key} https://wiki.example.com/reviews/1`);
    const [list] = await slack.say(pm, 'reviews');
    const view = modal(await slack.click(pm, list!, buttonIn(list!, OPEN_REVIEW_DONE_ACTION_ID, uc.key), 'modal'));
    expect(view.callback_id).toBe(REVIEW_DONE_FORM_ID);
    const unticked = await slack.submit(pm, view, { [inputBlockId(REVIEW_DONE_INPUTS.evidenceUrl)]: 'https://wiki.example.com/reviews/2' });
    expect(unticked.body).toEqual({ response_action: 'errors', errors: { [inputBlockId(REVIEW_DONE_INPUTS.attestation)]: expect.stringMatching(/attest/i) } });

    const before = h.fake.callsOf('chat.postMessage').length;
    h.fake.expect('chat.postMessage');
    const res = await slack.submit(pm, view, {
      [inputBlockId(REVIEW_DONE_INPUTS.evidenceUrl)]: 'https://wiki.example.com/reviews/2',
      [inputBlockId(REVIEW_DONE_INPUTS.notes)]: 'All controls re-checked',
      [inputBlockId(REVIEW_DONE_INPUTS.attestation)]: true,
    });
    expect(res).toEqual({ status: 200, body: null });
    expect(textOf(await dmAfter(before, pm))).toContain(`of ${uc.key} recorded`);
    const done = (await h.t.ctx.repos.reviews.list({ useCaseKey: uc.key })).filter((r) => r.completedAt);
    expect(done).toHaveLength(2);
    expect(done.map((r) => r.evidenceUrl)).toContain('https://wiki.example.com/reviews/2');
  });
});

describe('opening the intake modal from a button', () => {
  it('help carries "Propose a use case"; its modal, submitted, creates the use case and DMs its card', async () => {
    const [help] = await slack.say(pm, 'help');
    const view = modal(await slack.click(pm, help!, buttonIn(help!, OPEN_INTAKE_ACTION_ID), 'modal'));
    expect(view.callback_id).toBe(INTAKE_FORM_ID);
    const before = h.fake.callsOf('chat.postMessage').length;
    h.fake.expect('chat.postMessage');
    const res = await slack.submit(pm, view, intakeAnswers('Claims triage assistant', 'transparency'));
    expect(res).toEqual({ status: 200, body: null });
    const created = (await h.t.ctx.repos.useCases.list()).filter((u) => u.title === 'Claims triage assistant');
    expect(created).toHaveLength(1);
    expect(created[0]!.tier).toBe('transparency');
    expect(textOf(await dmAfter(before, pm))).toContain(created[0]!.key);
  });

  it('help carries "Report an incident", which opens the incident modal with nothing preselected', async () => {
    const [help] = await slack.say(pm, 'help');
    const view = modal(await slack.click(pm, help!, buttonIn(help!, OPEN_INCIDENT_ACTION_ID), 'modal'));
    expect(view.callback_id).toBe(INCIDENT_FORM_ID);
    expect(JSON.parse(view.private_metadata)).toEqual({});
  });
});

describe('use case upkeep and the incident lifecycle', () => {
  it('update answers, attach evidence and resume, each from the use case card', async () => {
    const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'high', { title: 'Upkeep helper' });
    const [card] = await slack.say(pm, `show ${uc.key}`);
    const update = modal(await slack.click(pm, card!, buttonIn(card!, OPEN_UPDATE_FORM_ACTION_ID, uc.key), 'modal'));
    expect(update.callback_id).toBe(UPDATE_FORM_ID);
    h.fake.expect('chat.postMessage');
    expect(await slack.submit(pm, update, intakeAnswers('Upkeep helper v2', 'high'))).toEqual({ status: 200, body: null });
    const control = uc.requiredControls[0]!;
    const evidence = modal(await slack.click(pm, card!, buttonIn(card!, OPEN_EVIDENCE_FORM_ACTION_ID, uc.key), 'modal'));
    expect(evidence.callback_id).toBe(EVIDENCE_FORM_ID);
    const evidenced = await slack.submit(pm, evidence, {
      [inputBlockId(EVIDENCE_INPUTS.control)]: control,
      [inputBlockId(EVIDENCE_INPUTS.url)]: 'https://wiki.example.com/evidence/1',
    });
    expect(evidenced).toEqual({ status: 200, body: null });
    const stored = (await h.t.ctx.repos.useCases.get(uc.key))!;
    expect(stored.title).toBe('Upkeep helper v2');
    expect(stored.evidence).toEqual([expect.objectContaining({ controlId: control, url: 'https://wiki.example.com/evidence/1' })]);

    const [suspended] = replies(await slack.click(pm, card!, buttonIn(card!, SUSPEND_ACTION_ID, uc.key)));
    expect((await h.t.ctx.repos.useCases.get(uc.key))!.stage).toBe('suspended');
    await slack.click(team.ai_coe_admin!, suspended!, buttonIn(suspended!, RESUME_ACTION_ID, uc.key));
    expect((await h.t.ctx.repos.useCases.get(uc.key))!.stage).toBe(uc.stage);
  });

  it('move a serious incident on from its card, and record its Art. 73 report through the modal', async () => {
    const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'high', { title: 'Serious path helper' });
    const incident = await reportIncident(h.t.ctx, {
      reporterId: pm.id,
      useCaseKey: uc.key,
      category: 'harmful_or_biased_output',
      severity: 'sev1',
      title: 'Harmful advice given',
      serious: { basis: 'general', awareAt: h.t.clock.now() },
    });
    const responder = team.ai_security_specialist!;
    const [shown] = await slack.say(responder, `incident ${incident.key}`);
    await slack.click(responder, shown!, buttonIn(shown!, INCIDENT_STATUS_ACTION_ID));
    expect((await h.t.ctx.repos.incidents.get(incident.key))!.status).toBe('triaged');

    const view = modal(await slack.click(responder, shown!, buttonIn(shown!, OPEN_ART73_FORM_ACTION_ID, incident.key), 'modal'));
    expect(view.callback_id).toBe(ART73_FORM_ID);
    h.fake.expect('chat.postMessage');
    const res = await slack.submit(responder, view, {
      [inputBlockId(ART73_INPUTS.kind)]: 'complete',
      [inputBlockId(ART73_INPUTS.reference)]: 'MSA-2026-7',
      [inputBlockId(ART73_INPUTS.submittedOn)]: h.t.clock.now().toISOString().slice(0, 10),
    });
    expect(res).toEqual({ status: 200, body: null });
    const after = (await h.t.ctx.repos.incidents.get(incident.key))!;
    expect(after.serious?.reportSubmittedAt).toBeInstanceOf(Date);
  });
});

describe('evidence buttons', () => {
  it('a download link is acknowledged and answered with nothing: the browser opened the link', async () => {
    const [card] = await slack.say(pm, 'help');
    const before = h.fake.responseUrlPosts.length;
    await slack.click(pm, card!, { action_id: OPEN_LINK_ACTION_ID, value: 'UC-1#1' }, { replies: 0 });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.responseUrlPosts.length).toBe(before);
  });

  it('the FRIA button, where evidence packs are not enabled, says so in a sentence and opens nothing', async () => {
    const uc = await proposeTestUseCase(h.t.ctx, pm.id, 'high', { title: 'FRIA without evidence' });
    const [card] = await slack.say(pm, `show ${uc.key}`);
    const opened = h.fake.callsOf('views.open').length;
    const [reply] = replies(await slack.click(pm, card!, { action_id: OPEN_FRIA_FORM_ACTION_ID, value: uc.key }));
    expect(reply!.text).toContain('Evidence packs are not enabled in this installation.');
    expect(reply!.text).not.toContain('evidence.disabled');
    expect(h.fake.callsOf('views.open')).toHaveLength(opened);
  });
});

it('clicked every button the Slack app listens for and submitted every form', () => {
  expect([...slack.exercised.actions].sort()).toEqual([...BUTTON_ACTION_IDS].sort());
  // The FRIA modal needs the evidence module's ports; test/evidence/slackPack.test.ts opens and
  // submits it over signed HTTP (checked here, so the exception cannot go stale).
  const elsewhere: Record<string, string> = { [FRIA_FORM_ID]: 'test/evidence/slackPack.test.ts' };
  for (const [form, file] of Object.entries(elsewhere)) {
    expect(readFileSync(path.resolve(__dirname, '../../..', file), 'utf8')).toMatch(/slack\.submit\([^)]*fria/i);
    slack.exercised.forms.add(form);
  }
  expect([...slack.exercised.forms].sort()).toEqual([...FORM_IDS].sort());
});
