import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import {
  APPROVE_ACTION_ID,
  FORM_IDS,
  inputBlockId,
  OPEN_REJECT_FORM_ACTION_ID,
  PAGE_ACTION_ID,
  REJECT_ACTION_ID,
  REJECT_FORM_ID,
} from '../../src/conversation/actions';
import { pageTargetSchema, useCaseListCard, indexPeople } from '../../src/conversation/cards';
import type { Card } from '../../src/conversation/cards';
import {
  actionIdPattern,
  baseActionId,
  cardToAdaptiveCard,
  cardToBlockKit,
  cardToBlockKitMessages,
  cardToHtml,
  cardToSlackModal,
} from '../../src/conversation/render';
import { loadPolicy } from '../../src/playbooks';
import { makeUseCase } from '../support/factories';
import { allSampleCards, NOW } from './sampleCards';
import { blockProblems, modalProblems } from './slackChecks';
import { referencePath } from '../support/reference';

const policy = loadPolicy();
const cards = allSampleCards(policy);
const names = Object.keys(cards);

function adaptiveValidator() {
  const schemaPath = referencePath('schemas', 'adaptive-card-1.5.0.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // The published schema is draft-06 but still names itself with draft-04 "id"; Ajv 8 wants "$id".
  expect(schema.$schema).toBe('http://json-schema.org/draft-06/schema#');
  const { id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(draft06);
  return ajv.compile({ ...rest, $id: String(id) });
}
const validateAdaptive = adaptiveValidator();

const allButtonsInBlocks = (blocks: any[]): any[] =>
  blocks.flatMap((b) => [...(b.type === 'actions' ? b.elements : []), ...(b.accessory ? [b.accessory] : [])]);

describe('every card through every renderer', () => {
  test('there is a sample of every card', () => {
    expect(names.length).toBeGreaterThanOrEqual(28);
  });

  test.each(names)('%s: Block Kit within Slack limits', (name) => {
    const messages = cardToBlockKitMessages(cards[name]!);
    for (const m of messages) {
      expect(blockProblems(m.blocks, 50)).toEqual([]);
      expect(m.text.length).toBeGreaterThan(0);
    }
    expect(cardToBlockKit(cards[name]!).blocks).toEqual(messages[0]!.blocks);
  });

  test('the Adaptive Card validator does reject invalid cards', () => {
    expect(validateAdaptive({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ok' }] })).toBe(true);
    expect(validateAdaptive({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Toggle', id: 'x' }] })).toBe(false);
    expect(validateAdaptive({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', colour: 'red' }] })).toBe(false);
  });

  test.each(names)('%s: Adaptive Card 1.5 valid against the official schema', (name) => {
    const json = cardToAdaptiveCard(cards[name]!);
    const valid = validateAdaptive(json);
    if (!valid) throw new Error(JSON.stringify(validateAdaptive.errors?.slice(0, 5), null, 2));
    expect(json.version).toBe('1.5');
  });

  test.each(names)('%s: HTML is a single escaped article', (name) => {
    const html = cardToHtml(cards[name]!);
    expect(html.startsWith('<article class="card">')).toBe(true);
    expect(html.endsWith('</article>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
  });
});

describe('forms', () => {
  const formCards = names.filter((n) => cards[n]!.form);

  test('every form id has a sample', () => {
    expect(new Set(formCards.map((n) => cards[n]!.form!.id))).toEqual(new Set(FORM_IDS));
  });

  test.each(formCards)('%s: Slack modal within limits, right element types', (name) => {
    const card = cards[name]!;
    const view = cardToSlackModal(card);
    expect(modalProblems(view)).toEqual([]);
    expect(view.callback_id).toBe(card.form!.id);
    expect(JSON.parse(view.private_metadata)).toEqual(card.form!.hidden);
    const expected = { text: 'plain_text_input', multiline: 'plain_text_input', select: 'static_select', multi_select: 'multi_static_select', date: 'datepicker', checkbox: 'checkboxes' };
    for (const input of card.form!.inputs) {
      const block = view.blocks.find((b) => b.block_id === inputBlockId(input.id)) as any;
      expect(block?.element.type).toBe(expected[input.kind]);
      expect(block.optional).toBe(!input.required);
      if (input.kind === 'multiline') expect(block.element.multiline).toBe(true);
    }
  });

  test.each(formCards)('%s: Adaptive Card inputs and an Action.Execute submit with hidden data', (name) => {
    const card = cards[name]!;
    const json = cardToAdaptiveCard(card);
    const submit = json.actions?.find((a) => a.verb === card.form!.id);
    expect(submit).toMatchObject({ type: 'Action.Execute', data: card.form!.hidden });
    const ids = json.body.filter((e) => e.type.startsWith('Input.')).map((e) => e.id);
    expect(ids).toEqual(card.form!.inputs.map((i) => i.id));
    const types = json.body.filter((e) => e.type.startsWith('Input.')).map((e) => e.type);
    expect(types.every((t) => ['Input.Text', 'Input.ChoiceSet', 'Input.Date', 'Input.Toggle'].includes(t))).toBe(true);
  });

  test.each(formCards)('%s: HTML form with named inputs and hidden values', (name) => {
    const card = cards[name]!;
    const html = cardToHtml(card);
    expect(html).toContain(`<form data-form-id="${card.form!.id}">`);
    for (const input of card.form!.inputs) expect(html).toContain(`name="${input.id}"`);
    for (const [k, v] of Object.entries(card.form!.hidden)) expect(html).toContain(`<input type="hidden" name="${k}" value="${v}">`);
  });

  test('the intake form asks every playbook question, with the right kinds', () => {
    const form = cards.intakeForm!.form!;
    for (const q of policy.risk.questions) {
      const input = form.inputs.find((i) => i.id === `q_${q.id}`);
      expect(input).toBeDefined();
      if (q.kind === 'multi_select') expect(input!.kind).toBe('multi_select');
      if (q.kind === 'boolean') expect(['checkbox', 'select']).toContain(input!.kind);
    }
  });

  test('a form card shown in a chat message offers the button that opens it', () => {
    const blocks = cardToBlockKit(cards.rejectForm!).blocks;
    const opener = allButtonsInBlocks(blocks).find((b) => baseActionId(b.action_id) === OPEN_REJECT_FORM_ACTION_ID);
    expect(opener?.value).toBe('APR-7');
  });

  test('a card without a form cannot become a modal', () => {
    expect(() => cardToSlackModal(cards.help!)).toThrow(/form/);
  });
});

describe('specific behaviour', () => {
  const hostile: Card = {
    title: '<script>alert("x")</script> & co',
    text: 'Line one\n<img src=x onerror=alert(1)>',
    fields: [{ label: '"quoted"', value: "it's <b>bold</b>" }],
    buttons: [{ label: '<b>Go</b>', actionId: 'steward.x', value: '"><script>alert(2)</script>' }],
    context: '<!channel>',
  };

  test('HTML escapes a hostile title, text, fields and attribute values', () => {
    const html = cardToHtml(hostile);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).toContain('data-value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    expect(html).toContain('it&#39;s &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('Line one<br>&lt;img');
  });

  test('Block Kit escapes mrkdwn control characters (no <!channel> pings)', () => {
    const json = JSON.stringify(cardToBlockKit(hostile).blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
  });

  test('a list of 45 use cases paginates 10 per page, buttons carry page and filter', () => {
    const useCases = Array.from({ length: 45 }, () => makeUseCase());
    const people = indexPeople([]);
    const first = useCaseListCard({ useCases, filter: { kind: 'stage', stage: 'pilot' }, page: 1, policy, people });
    expect(first.sections).toHaveLength(10);
    expect(first.pagination).toMatchObject({ page: 1, pages: 5 });
    const last = useCaseListCard({ useCases, filter: { kind: 'stage', stage: 'pilot' }, page: 5, policy, people });
    expect(last.sections).toHaveLength(5);
    expect(last.sections![0]!.title).toContain(useCases[40]!.key);

    const middle = useCaseListCard({ useCases, filter: { kind: 'stage', stage: 'pilot' }, page: 3, policy, people });
    const pageButtons = allButtonsInBlocks(cardToBlockKit(middle).blocks).filter((b) => actionIdPattern(PAGE_ACTION_ID).test(b.action_id));
    expect(pageButtons).toHaveLength(2);
    const targets = pageButtons.map((b) => pageTargetSchema.parse(JSON.parse(b.value)));
    expect(targets).toEqual([
      { list: 'usecases', filter: 'stage:pilot', page: 2 },
      { list: 'usecases', filter: 'stage:pilot', page: 4 },
    ]);
    // The same targets in Teams and the console.
    const acPages = cardToAdaptiveCard(middle)
      .body.filter((e) => e.type === 'ActionSet')
      .flatMap((e) => e.actions as any[])
      .filter((a) => a.verb === PAGE_ACTION_ID)
      .map((a) => pageTargetSchema.parse(JSON.parse(a.data.value)));
    expect(acPages).toEqual(targets);
    expect(cardToHtml(middle)).toContain(`data-action-id="${PAGE_ACTION_ID}"`);
    // A stale page number is clamped rather than showing nothing.
    expect(useCaseListCard({ useCases, filter: { kind: 'all' }, page: 99, policy, people }).pagination!.page).toBe(5);
  });

  test('the pending approval card has Approve and Reject; the decided one has no buttons anywhere', () => {
    const pending = cards.approvalPending!;
    const pendingIds = allButtonsInBlocks(cardToBlockKit(pending).blocks).map((b) => b.action_id);
    expect(pendingIds).toEqual(expect.arrayContaining([APPROVE_ACTION_ID, REJECT_ACTION_ID]));

    const decided = cards.approvalDecided!;
    expect(allButtonsInBlocks(cardToBlockKit(decided).blocks)).toEqual([]);
    const ac = cardToAdaptiveCard(decided);
    expect(ac.actions ?? []).toEqual([]);
    expect(JSON.stringify(ac)).not.toContain('Action.');
    expect(cardToHtml(decided)).not.toContain('<button');
    expect(JSON.stringify(cardToBlockKit(decided).blocks)).toContain('Rejected');
    expect(JSON.stringify(cardToBlockKit(decided).blocks)).toContain('No red-team evidence');
  });

  test('long text is split into several sections rather than cut', () => {
    const blocks = cardToBlockKit(cards.useCase!).blocks as any[];
    const description = cards.useCase!.text!;
    expect(description.length).toBeGreaterThan(3000);
    const sectionsText = blocks.filter((b) => b.type === 'section' && b.text).map((b) => b.text.text).join(' ');
    expect(sectionsText.replace(/\s+/g, '')).toContain(description.replace(/\s+/g, ''));
  });

  test('a card needing more than 50 blocks continues in further messages without losing content', () => {
    const big: Card = { title: 'Big', sections: Array.from({ length: 80 }, (_, i) => ({ title: `Item ${i}`, text: `text ${i}`, buttons: [{ label: 'A', actionId: 'a', value: '1' }, { label: 'B', actionId: 'b', value: '2' }] })) };
    const messages = cardToBlockKitMessages(big);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(blockProblems(m.blocks, 50)).toEqual([]);
    const all = JSON.stringify(messages);
    for (let i = 0; i < 80; i++) expect(all).toContain(`*Item ${i}*`);
    expect(JSON.stringify(messages[0]!.blocks)).toContain('Continued in the next message');
  });

  test('many fields and buttons are spread over blocks; duplicate action ids are made unique', () => {
    const card: Card = {
      title: 'x'.repeat(400),
      fields: Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(2500) })),
      buttons: Array.from({ length: 30 }, (_, i) => ({ label: `Button with a very long label number ${i} `.repeat(3), actionId: 'steward.same', value: String(i) })),
    };
    const { blocks } = cardToBlockKit(card);
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(blocks.filter((b) => b.type === 'section' && (b as any).fields)).toHaveLength(3);
    const buttons = allButtonsInBlocks(blocks);
    expect(buttons).toHaveLength(30);
    expect(buttons.every((b) => baseActionId(b.action_id) === 'steward.same')).toBe(true);
  });

  test('modal titles are clipped to 24 characters and the full title is kept in the body', () => {
    const view = cardToSlackModal(cards.incidentForm!);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(cards.rejectForm!.form!.id).toBe(REJECT_FORM_ID);
    const long = cardToSlackModal({ ...cards.rejectForm!, title: 'Reject a very long approval request title' });
    expect(long.title.text.endsWith('…')).toBe(true);
    expect(JSON.stringify(long.blocks)).toContain('Reject a very long approval request title');
  });

  test('the incident card shows the Art. 73 clock from the policy deadline', () => {
    const text = JSON.stringify(cardToAdaptiveCard(cards.incident!));
    expect(text).toContain(`${policy.incidents.serious.deadlinesDays.general} days from awareness`);
    expect(text).toContain('Report due in 15 d');
    expect(NOW).toBeInstanceOf(Date);
  });
});
