/**
 * Every command of the grammar typed as `/steward <text>` over signed HTTP, with the real
 * conversation on the real database: the reply that reaches the response_url says the right
 * thing, and the database changed exactly where the command should change it.
 */
import { registerApprovedGpuModel } from '../../support/models';
import { INCIDENT_FORM_ID, INTAKE_FORM_ID, OPEN_REJECT_FORM_ACTION_ID } from '../../../src/conversation/actions';
import type { Approval, Person, UseCase } from '../../../src/domain/types';
import { registerTeam, registerTestPerson, type Team } from '../../support/people';
import { proposeTestUseCase } from '../../support/usecases';
import { buttonIn, slackDriver } from './support/drive';
import { useSlackHarness } from './support/harness';

const h = useSlackHarness();
const slack = slackDriver(h);
let team: Team;
let faq: UseCase;
let hr: UseCase;
const MODEL = 'cmd-gpu-llama';

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  faq = await proposeTestUseCase(h.t.ctx, team.llm_product_manager!.id, 'transparency', { title: 'FAQ bot for customers' });
  hr = await proposeTestUseCase(h.t.ctx, team.llm_product_manager!.id, 'high', { title: 'HR screening helper' });
  await registerApprovedGpuModel(h.t.ctx, team, MODEL);
});

const person = async (id: string): Promise<Person> => (await h.t.ctx.repos.people.findById(id))!;

/** `advance` as the owner, then the pending approval it created. */
async function advanced(uc: UseCase): Promise<Approval> {
  const [reply] = await slack.say(team.llm_product_manager!, `advance ${uc.key}`);
  const approvals = await h.t.ctx.repos.approvals.list({ useCaseKey: uc.key });
  const pending = approvals.filter((a) => a.status === 'pending');
  expect(pending).toHaveLength(1);
  expect(reply!.text).toContain(pending[0]!.key);
  expect(reply!.text).toMatch(/approver\(s\) have been notified/);
  return pending[0]!;
}

describe('reading commands', () => {
  it('help lists the commands; help <command> shows its usage', async () => {
    const [all] = await slack.say(team.prompt_engineer!, 'help');
    expect(all!.body.response_type).toBe('ephemeral');
    for (const word of ['propose', 'raci', 'approvals', 'incident', 'kpis']) expect(all!.text).toContain(word);
    const [one] = await slack.say(team.prompt_engineer!, 'help raci');
    expect(one!.text).toMatch(/raci UC-/);
  });

  it('show UC-n shows the use case; an unknown key is named', async () => {
    const [r] = await slack.say(team.domain_expert!, `show ${faq.key.toLowerCase()}`);
    expect(r!.text).toContain(faq.key);
    expect(r!.text).toContain('FAQ bot for customers');
    const [missing] = await slack.say(team.domain_expert!, 'show UC-9999');
    expect(missing!.text).toContain('UC-9999');
    expect(missing!.text).toMatch(/not found|does not exist/i);
  });

  it('list, list mine, list pilot and list high filter the use cases', async () => {
    const [all] = await slack.say(team.domain_expert!, 'list');
    expect(all!.text).toContain(faq.key);
    expect(all!.text).toContain(hr.key);
    const [mine] = await slack.say(team.llm_product_manager!, 'list mine');
    expect(mine!.text).toContain(faq.key);
    // "mine": use cases the person owns or holds a RACI role in; a newcomer has none.
    const [notMine] = await slack.say(await registerTestPerson(h.t.ctx, [], 'Newcomer'), 'list mine');
    expect(notMine!.text).not.toContain(faq.key);
    const [pilot] = await slack.say(team.domain_expert!, 'list pilot');
    expect(pilot!.text).toMatch(/pilot/i);
    expect(pilot!.text).not.toContain(faq.key); // still in ideation
    const [high] = await slack.say(team.domain_expert!, 'list high');
    expect(high!.text).toContain(hr.key);
    expect(high!.text).not.toContain(`${faq.key} ·`);
  });

  it('raci UC-n and raci UC-n <area>', async () => {
    const [all] = await slack.say(team.domain_expert!, `raci ${faq.key}`);
    expect(all!.text).toContain('Accountable');
    expect(all!.text).toContain(team.llm_product_manager!.name);
    for (const area of h.t.ctx.policy.raci) expect(all!.text).toContain(area.name.replace(/&/g, '&amp;'));
    const [one] = await slack.say(team.domain_expert!, `raci ${faq.key} prompt`);
    expect(one!.text).toContain('Responsible');
    expect(one!.text).toContain(team.prompt_engineer!.name);
    expect(one!.text).not.toContain('Infrastructure');
  });

  it('who approves UC-n names the gate and its approvers', async () => {
    const [r] = await slack.say(team.domain_expert!, `who approves ${faq.key}`);
    expect(r!.text).toContain(`Who approves · ${faq.key}`);
    expect(r!.text).toMatch(/Ideation.*Prototype/);
  });

  it('models, model <name>, can UC-n use <model> with <class>', async () => {
    const [list] = await slack.say(team.domain_expert!, 'models');
    expect(list!.text).toContain(MODEL);
    const [one] = await slack.say(team.domain_expert!, `model ${MODEL.toUpperCase()}`);
    expect(one!.text).toContain('Llama on GPU');
    const [yes] = await slack.say(team.domain_expert!, `can ${faq.key} use ${MODEL} with internal`);
    expect(yes!.text).toContain(`Yes: ${faq.key} may send`);
    const [no] = await slack.say(team.domain_expert!, `can ${faq.key} use ${MODEL} with personal`);
    expect(no!.text).toContain(`No: ${faq.key} may not send personal`);
  });

  it('kpis and audit verify', async () => {
    const [k] = await slack.say(team.ai_coe_admin!, 'kpis');
    expect(k!.text).toContain('Operating model KPIs');
    const [a] = await slack.say(team.ai_coe_admin!, 'audit verify');
    expect(a!.text).toContain('Audit trail intact');
  });

  it('an unknown command gets the closest one, never a stack trace', async () => {
    const [r] = await slack.say(team.prompt_engineer!, `rachi ${faq.key}`);
    expect(r!.text).toMatch(/Did you mean/);
    expect(r!.text).toMatch(/raci UC-/);
    expect(r!.text).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('commands that open a form', () => {
  it('propose opens the intake modal (views.open) and posts nothing', async () => {
    const view = await slack.open(team.llm_product_manager!, 'propose');
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(INTAKE_FORM_ID);
    expect(JSON.stringify(view.blocks)).toContain('steward.input.title');
    expect(h.fake.responseUrlPosts).toHaveLength(0);
  });

  it('incident opens the incident modal listing the use cases', async () => {
    const view = await slack.open(team.prompt_engineer!, 'incident');
    expect(view.callback_id).toBe(INCIDENT_FORM_ID);
    expect(JSON.stringify(view.blocks)).toContain(faq.key);
  });
});

describe('commands that change things', () => {
  it('advance UC-n requests the gate; approvals lists it for an approver', async () => {
    const approval = await advanced(faq);
    const approver = await person(approval.approverIds[0]!);
    const [mine] = await slack.say(approver, 'approvals');
    expect(mine!.text).toContain(approval.key);
    const [others] = await slack.say(team.llm_product_manager!, 'approvals');
    expect(others!.text).not.toContain(approval.key);
  });

  it('approve APR-n [reason] records the vote until the gate opens', async () => {
    const [approval] = await h.t.ctx.repos.approvals.list({ useCaseKey: faq.key });
    let votes = 0;
    for (const id of approval!.approverIds) {
      const [r] = await slack.say(await person(id), `approve ${approval!.key} evaluation plan looks fine`);
      votes += 1;
      const stored = (await h.t.ctx.repos.approvals.get(approval!.key))!;
      expect(stored.votes).toHaveLength(votes);
      expect(stored.votes.at(-1)).toMatchObject({ personId: id, decision: 'approve' });
      if (stored.status !== 'pending') {
        expect(r!.text).toContain(`${approval!.key} · Approved`);
        break;
      }
      expect(r!.text).toMatch(/waiting for the others/);
    }
    expect((await h.t.ctx.repos.useCases.get(faq.key))!.stage).toBe('prototype');
    const [prototype] = await slack.say(team.domain_expert!, 'list prototype');
    expect(prototype!.text).toContain(faq.key);
  });

  it('reject APR-n needs a reason (offering the form); reject APR-n <reason> rejects', async () => {
    const uc = await proposeTestUseCase(h.t.ctx, team.llm_product_manager!.id, 'minimal', { title: 'Meeting summariser' });
    const approval = await advanced(uc);
    const approver = await person(approval.approverIds[0]!);
    const [noReason] = await slack.say(approver, `reject ${approval.key}`);
    expect(noReason!.text).toMatch(/reason/i);
    expect(buttonIn(noReason!, OPEN_REJECT_FORM_ACTION_ID).value).toBe(approval.key);
    expect((await h.t.ctx.repos.approvals.get(approval.key))!.votes).toEqual([]);
    const [r] = await slack.say(approver, `reject ${approval.key} no evaluation plan yet`);
    expect(r!.text).toContain(`${approval.key} · Rejected`);
    const stored = (await h.t.ctx.repos.approvals.get(approval.key))!;
    expect(stored.status).toBe('rejected');
    expect(stored.reasons.join(' ')).toContain('no evaluation plan yet');
    expect((await h.t.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation');
  });

  it('incident UC-n sev2 <text> reports the incident (redacted); incidents [open] list it', async () => {
    const [r] = await slack.say(team.prompt_engineer!, `incident ${faq.key} sev2 the bot quoted jane.doe@example.com in a reply`);
    const [incident] = await h.t.ctx.repos.incidents.list({ useCaseKey: faq.key });
    expect(incident).toMatchObject({ severity: 'sev2', reporterId: team.prompt_engineer!.id });
    expect(incident!.description).not.toContain('jane.doe@example.com');
    expect(r!.text).toContain(incident!.key);
    const [open] = await slack.say(team.ai_security_specialist!, 'incidents open');
    expect(open!.text).toContain(incident!.key);
    const [all] = await slack.say(team.ai_security_specialist!, 'incidents');
    expect(all!.text).toContain(incident!.key);
  });

  it('review done UC-n <link> records the review; reviews lists the next one; a bad link is refused', async () => {
    const [bad] = await slack.say(team.llm_product_manager!, `review done ${hr.key} not-a-link`);
    expect(bad!.text).toMatch(/http/);
    expect((await h.t.ctx.repos.reviews.list({ useCaseKey: hr.key })).filter((x) => x.completedAt)).toHaveLength(0);
    const [done] = await slack.say(team.llm_product_manager!, `review done ${hr.key} https://wiki.example.com/reviews/1`);
    expect(done!.text).toContain(`of ${hr.key} recorded`);
    expect((await h.t.ctx.repos.reviews.list({ useCaseKey: hr.key })).filter((x) => x.completedAt)).toHaveLength(1);
    const [due] = await slack.say(team.llm_product_manager!, 'reviews');
    expect(due!.text).toContain(hr.key);
  });

  it('eval run is refused for someone who neither owns the model nor runs LLMOps, with a clear message', async () => {
    const before = await h.t.ctx.repos.models.get(MODEL);
    const [r] = await slack.say(team.domain_expert!, `eval run ${MODEL} redteam`);
    expect(r!.text).toContain('Not allowed');
    expect(r!.text).toContain(`Only the owner of ${MODEL} or an LLMOps engineer can start an evaluation run.`);
    expect(await h.t.ctx.repos.models.get(MODEL)).toEqual(before);
  });

  it('reviews overdue lists a review once its due date has passed', async () => {
    const [none] = await slack.say(team.llm_product_manager!, 'reviews overdue');
    expect(none!.text).not.toContain(`${hr.key} · review`);
    h.t.clock.advanceDays(400);
    const [overdue] = await slack.say(team.llm_product_manager!, 'reviews overdue');
    expect(overdue!.text).toContain('Overdue reviews');
    expect(overdue!.text).toContain(hr.key);
  });
});
