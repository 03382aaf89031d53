/**
 * The Art. 73 report modal over signed Slack HTTP: Art. 73(5) allows an initial, incomplete
 * report followed by a complete one (test/fixtures/reference eu-ai-act.json). The kind is picked
 * in the modal with nothing preselected; an initial report is stored on the incident (its
 * timeline, through the write model) and leaves the complete one due, so the modal opened again
 * offers only the complete report, and only that stops the clock. A modal sent without a kind is
 * answered with the error on that input, and nothing is written.
 */
import { ART73_FORM_ID, OPEN_ART73_FORM_ACTION_ID, inputBlockId } from '../../../src/conversation/actions';
import { ART73_INPUTS } from '../../../src/conversation/cards/forms/art73ReportForm';
import { reportIncident } from '../../../src/domain/incidents/reportIncident';
import type { Person } from '../../../src/domain/types';
import { registerTeam, type Team } from '../../support/people';
import { proposeTestUseCase } from '../../support/usecases';
import { buttonIn, slackDriver, textOf } from './support/drive';
import { useSlackHarness } from './support/harness';

type Json = Record<string, any>;
const h = useSlackHarness();
const slack = slackDriver(h);
let team: Team;
let legal: Person;

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  legal = team.ai_governance_legal!;
});

const kindElement = (view: Json): Json => (view.blocks as Json[]).find((b) => b.block_id === inputBlockId(ART73_INPUTS.kind))!.element;

it('records an initial report, keeps the complete one due, then records the complete one', async () => {
  const uc = await proposeTestUseCase(h.t.ctx, team.llm_product_manager!.id, 'high', { title: 'Art. 73 modal' });
  const incident = await reportIncident(h.t.ctx, {
    reporterId: team.llm_product_manager!.id,
    useCaseKey: uc.key,
    category: 'harmful_or_biased_output',
    severity: 'sev1',
    title: 'Harmful advice given',
    serious: { basis: 'general', awareAt: h.t.clock.now() },
  });
  const today = h.t.clock.now().toISOString().slice(0, 10);
  const [shown] = await slack.say(legal, `incident ${incident.key}`);
  const view = (await slack.click(legal, shown!, buttonIn(shown!, OPEN_ART73_FORM_ACTION_ID, incident.key), 'modal')) as Json;
  expect(view.callback_id).toBe(ART73_FORM_ID);
  const kind = kindElement(view);
  expect(kind.type).toBe('static_select');
  expect(kind.options.map((o: Json) => o.value)).toEqual(['initial', 'complete']);
  expect(kind.initial_option).toBeUndefined();

  // No kind: the error sits on that input, nothing is written.
  const history = async () => (await h.t.ctx.repos.audit.history(`incident:${incident.key}`)).length;
  const before = await history();
  const refused = await slack.submit(legal, view, { [inputBlockId(ART73_INPUTS.reference)]: 'MSA-1', [inputBlockId(ART73_INPUTS.submittedOn)]: today });
  expect(refused).toEqual({ status: 200, body: { response_action: 'errors', errors: { [inputBlockId(ART73_INPUTS.kind)]: 'Report: choose initial or complete' } } });
  expect(await history()).toBe(before);

  h.fake.expect('chat.postMessage');
  const initial = await slack.submit(legal, view, {
    [inputBlockId(ART73_INPUTS.kind)]: 'initial',
    [inputBlockId(ART73_INPUTS.reference)]: 'MSA-I-7',
    [inputBlockId(ART73_INPUTS.submittedOn)]: today,
  });
  expect(initial).toEqual({ status: 200, body: null });
  const afterInitial = (await h.t.ctx.repos.incidents.get(incident.key))!;
  expect(afterInitial.serious).toMatchObject({ initialReportRef: 'MSA-I-7' });
  expect(afterInitial.serious!.reportSubmittedAt).toBeUndefined();
  expect(afterInitial.timeline.at(-1)!.text).toContain('Initial Art. 73 report submitted');
  expect(await history()).toBe(before + 1);

  // The card asks for the complete report; the modal now offers only that, preselected.
  const [again] = await slack.say(legal, `incident ${incident.key}`);
  expect(textOf(again!)).toContain('the complete report is still outstanding (Art. 73(5))');
  const button = buttonIn(again!, OPEN_ART73_FORM_ACTION_ID, incident.key);
  const second = (await slack.click(legal, again!, button, 'modal')) as Json;
  expect(kindElement(second).options.map((o: Json) => o.value)).toEqual(['complete']);
  expect(kindElement(second).initial_option.value).toBe('complete');

  h.fake.expect('chat.postMessage');
  const complete = await slack.submit(legal, second, {
    [inputBlockId(ART73_INPUTS.kind)]: 'complete',
    [inputBlockId(ART73_INPUTS.reference)]: 'MSA-C-7',
    [inputBlockId(ART73_INPUTS.submittedOn)]: today,
  });
  expect(complete).toEqual({ status: 200, body: null });
  expect((await h.t.ctx.repos.incidents.get(incident.key))!.serious).toMatchObject({ initialReportRef: 'MSA-I-7', reportRef: 'MSA-C-7' });
});
