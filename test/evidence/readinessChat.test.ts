/**
 * Readiness and conformity in chat over signed Slack HTTP: `show UC-3` lists the obligations that
 * apply (met, missing, not yet applicable with the date), and where Art. 27 is owed a button
 * opens the FRIA modal; `evidence conformity …` records the Art. 43 route, the Art. 47
 * declaration and the Art. 48 CE marking as versions of the compliance record, which the pack
 * and `show` then reflect; bad input and people who may not record it change nothing.
 */
import { seedDemo } from '../../src/app/seedDemo';
import { OPEN_FRIA_FORM_ACTION_ID } from '../../src/conversation/actions';
import type { Person } from '../../src/domain/types';
import { buttonIn, buttonsIn, slackDriver } from '../channels/slack/support/drive';
import { useSlackHarness } from '../channels/slack/support/harness';
import type { AppContext } from '../../src/app/context';
import { obligationsFor } from '../../src/domain/obligations/obligationsFor';
import { lazyDownloads } from './downloads';
import { evidencePorts, fixtureObligations } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

/** The fixture obligations, plus Arts. 43 and 48 as the legal model (regulation.yaml) has them for UC-3. */
const withConformity = (ctx: AppContext) =>
  evidencePorts(ctx, { obligationsFor: (uc, on) => [...fixtureObligations(uc, on), ...obligationsFor(uc, ctx.policy, on).filter((o) => o.article === 'Art. 43' || o.article === 'Art. 48')] });
const downloads = lazyDownloads((ctx) => withConformity(ctx as never));
const h = useSlackHarness({ conversationDeps: (ctx) => downloads.deps(ctx) });
const slack = slackDriver(h);
let owner: Person;
let legal: Person;

beforeAll(async () => {
  // The fixture obligations: most apply from 2026-08-02, Art. 72 from 2027-12-02.
  h.t.clock.set('2026-09-01T09:00:00Z');
  await seedDemo(h.t.ctx);
  await downloads.start();
  const uc = (await h.t.ctx.repos.useCases.get('UC-3'))!;
  owner = (await h.t.ctx.repos.people.findById(uc.ownerId))!;
  legal = (await h.t.ctx.repos.people.findById(uc.raci.find((r) => r.area === 'safety_compliance')!.accountable[0]!))!;
});
afterAll(() => downloads.stop());

it('show UC-3 lists what is missing, met and not yet applicable, with a button that opens the FRIA modal', async () => {
  const [card] = await slack.say(owner, 'show UC-3');
  expect(card!.text).toContain('EU AI Act readiness');
  expect(card!.text).toContain('5 apply: 0 met, 5 missing; 3 not yet applicable.');
  expect(card!.text).toContain('✗ Art. 27(1) Fundamental rights impact assessment for high-risk AI systems: no FRIA recorded');
  expect(card!.text).toContain('✗ Art. 49(1) Registration: no EU database registration recorded');
  expect(card!.text).toMatch(/Applies from 2027-12-02:[^]*○ Art\. 72\(1\) Post-market monitoring/);
  const view = (await slack.click(legal, card!, buttonIn(card!, OPEN_FRIA_FORM_ACTION_ID, 'UC-3'), 'modal')) as { blocks: { block_id?: string }[] };
  expect(view.blocks.map((b) => b.block_id)).toContain('steward.input.fria_a');
});

it('a minimal-risk use case shows no FRIA button and says no obligation applies', async () => {
  const [card] = await slack.say(owner, 'show UC-1');
  expect(card!.text).toContain('No obligation applies to this use case.');
  expect(buttonsIn(card!.blocks).some((b) => b.action_id.startsWith(OPEN_FRIA_FORM_ACTION_ID))).toBe(false);
});

it('evidence conformity records the route, the declaration and the CE marking as versions; show counts them met', async () => {
  const [route] = await slack.say(legal, 'evidence conformity UC-3 route annex-vi');
  expect(route!.text).toContain('Annex VI (internal control)');
  const [decl] = await slack.say(legal, 'evidence conformity UC-3 declaration DoC-2026-07 2026-08-20');
  expect(decl!.text).toContain('DoC-2026-07, signed 2026-08-20');
  const [ce] = await slack.say(legal, 'evidence conformity UC-3 ce 2026-08-21');
  expect(ce!.text).toContain('affixed 2026-08-21');
  // The same again writes nothing.
  await slack.say(legal, 'evidence conformity UC-3 ce 2026-08-21');
  const history = await h.t.ctx.repos.audit.history('compliance:UC-3');
  expect(history.map((e) => e.action)).toEqual(['compliance.conformity_route', 'compliance.conformity_declaration', 'compliance.conformity_ce']);
  expect((await downloads.ports.compliance.get('UC-3'))!.conformity).toMatchObject({ route: 'annex_vi_internal_control', declarationRef: 'DoC-2026-07', declarationSignedOn: '2026-08-20', ceMarkedOn: '2026-08-21' });

  const [card] = await slack.say(owner, 'show UC-3');
  expect(card!.text).toContain('✓ Art. 47(1) EU declaration of conformity: declaration DoC-2026-07');
  h.fake.expect('conversations.open').expect('files.getUploadURLExternal').expect('files.completeUploadExternal');
  const [pack] = await slack.say(owner, 'evidence pack UC-3');
  expect(pack!.text).toContain('Evidence pack UC-3');
  await h.fake.waitForCall('files.completeUploadExternal');
  const stored = (await downloads.ports.packs.get('UC-3#1'))!;
  expect(stored.markdown).toContain('- **Conformity assessment route (Art. 43):** Annex VI (internal control)');
  expect(stored.markdown).toContain('- **EU declaration of conformity (Art. 47):** DoC-2026-07, signed 2026-08-20');
  expect(stored.markdown).toContain('- **CE marking (Art. 48):** affixed 2026-08-21');
});

it('bad input and the wrong person are refused in a short message, and nothing is written', async () => {
  const before = (await h.t.ctx.repos.audit.history('compliance:UC-3')).length;
  const [route] = await slack.say(legal, 'evidence conformity UC-3 route annex-ix');
  expect(route!.text).toContain('expected the route annex-vi (internal control) or annex-vii (notified body)');
  const [date] = await slack.say(legal, 'evidence conformity UC-3 ce 2026-02-30');
  expect(date!.text).toContain('expected a real date as YYYY-MM-DD');
  const [part] = await slack.say(legal, 'evidence conformity UC-3 stamp');
  expect(part!.text).toContain('expected route, declaration or ce');
  // UC-3 is Annex III 4(a): Art. 43(2) leaves it internal control only.
  const [notified] = await slack.say(legal, 'evidence conformity UC-3 route annex-vii');
  expect(notified!.text).toContain('Art. 43(2): UC-3 is high-risk under Annex III 4(a) (points 2 to 8 of Annex III), for which the provider follows internal control (Annex VI), without a notified body');
  expect(notified!.text).toContain('evidence conformity UC-3 route annex-vi');
  const [who] = await slack.say(owner, 'evidence conformity UC-3 route annex-vii');
  expect(who!.text).toContain('Only the Accountable for safety and compliance of UC-3');
  const [minimal] = await slack.say(legal, 'evidence conformity UC-1 ce 2026-08-21');
  expect(minimal!.text).toMatch(/Only the Accountable|Art\. 48 does not apply to UC-1/);
  expect((await h.t.ctx.repos.audit.history('compliance:UC-3')).length).toBe(before);
  expect(await downloads.ports.compliance.get('UC-1')).toBeNull();
});
