/**
 * `evidence pack UC-n` over signed Slack HTTP: the card with signed download links reaches the
 * response_url, the PDF and Markdown are uploaded with files.uploadV2 (getUploadURLExternal, the
 * bytes, completeUploadExternal) into the person's DM, and the link downloads the same PDF.
 * `evidence fria UC-n` opens the Art. 27 modal for the deployer's Accountable only.
 */
import { seedDemo } from '../../src/app/seedDemo';
import { inputBlockId } from '../../src/conversation/actions';
import { FRIA_INPUTS, friaInputId } from '../../src/conversation/cards/forms/friaForm';
import { FRIA_ELEMENT_IDS } from '../../src/domain/evidence/types';
import type { Person } from '../../src/domain/types';
import { slackDriver } from '../channels/slack/support/drive';
import { useSlackHarness } from '../channels/slack/support/harness';
import { lazyDownloads } from './downloads';
import { registerTestPerson } from '../support/people';
import { evidencePorts } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const downloads = lazyDownloads((ctx) => evidencePorts(ctx as never));
const h = useSlackHarness({ conversationDeps: (ctx) => downloads.deps(ctx) });
const slack = slackDriver(h);
let owner: Person;
let legal: Person;

beforeAll(async () => {
  h.t.clock.set('2026-09-01T09:00:00Z');
  await seedDemo(h.t.ctx);
  await downloads.start();
  const uc = (await h.t.ctx.repos.useCases.get('UC-3'))!;
  owner = (await h.t.ctx.repos.people.findById(uc.ownerId))!;
  legal = (await h.t.ctx.repos.people.findById(uc.raci.find((r) => r.area === 'safety_compliance')!.accountable[0]!))!;
});
afterAll(() => downloads.stop());

it('evidence pack UC-3: a card with links, the files uploaded to the DM, the link serves the same PDF', async () => {
  h.fake.expect('conversations.open').expect('files.getUploadURLExternal').expect('files.completeUploadExternal');
  const [reply] = await slack.say(owner, 'evidence pack UC-3');
  expect(reply!.text).toContain('Evidence pack UC-3 (version 1)');
  const stored = (await downloads.ports.packs.get('UC-3#1'))!;
  expect(stored).not.toBeNull();

  await h.fake.waitForCall('files.completeUploadExternal');
  expect(h.fake.callsOf('conversations.open')[0]!.args.users).toBe(owner.slackUserId);
  const names = h.fake.callsOf('files.getUploadURLExternal').map((c) => c.args.filename).sort();
  expect(names).toEqual(['UC-3-evidence-v1.md', 'UC-3-evidence-v1.pdf']);
  const complete = h.fake.callsOf('files.completeUploadExternal')[0]!.args;
  expect(complete.channel_id).toBe(`D${owner.slackUserId!.replace(/^U/, '')}`);
  expect(h.fake.uploads).toHaveLength(2);
  expect(h.fake.uploads.some((u) => u.bytes.includes(stored.pdf.subarray(0, 400)))).toBe(true);

  const link = /https?:\/\/127\.0\.0\.1:\d+\/evidence\/download\?[^"\s|>]+/.exec(JSON.stringify(reply!.blocks))![0].replace(/\\u0026|&amp;/g, '&');
  const res = await fetch(link);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain('UC-3-evidence-v1.pdf');
  expect(Buffer.from(await res.arrayBuffer()).equals(stored.pdf)).toBe(true);
  // An altered link (another pack) is refused; nothing is served.
  const other = await fetch(link.replace('UC-3%231', 'UC-2%231'));
  expect(other.status).toBe(403);
});

it('someone not named on the use case is refused in a short message, and nothing is generated or uploaded', async () => {
  const outsider = await registerTestPerson(h.t.ctx, ['prompt_engineer'], 'Outsider');
  const [reply] = await slack.say(outsider, 'evidence pack UC-1');
  expect(reply!.text).toContain('Only people named on UC-1');
  expect(await downloads.ports.packs.latestVersion('UC-1')).toBe(0);
});

it('bad input is named: evidence pack without a use case, a bad registration date', async () => {
  const [noKey] = await slack.say(owner, 'evidence pack');
  expect(noKey!.text).toContain('expected a use case id like UC-3');
  const [badDate] = await slack.say(legal, 'evidence register UC-3 EU-DB-123 2026-02-30');
  expect(badDate!.text).toContain('expected a real date as YYYY-MM-DD');
  expect(await downloads.ports.compliance.get('UC-3')).toBeNull();
});

it('evidence fria UC-3 opens the Art. 27 modal for the Accountable; others are told who owns it', async () => {
  const view = (await slack.open(legal, 'evidence fria UC-3')) as { blocks: { block_id?: string }[] };
  const ids = view.blocks.map((b) => b.block_id).filter(Boolean);
  for (const el of ['a', 'b', 'c', 'd', 'e', 'f']) expect(ids).toContain(`steward.input.fria_${el}`);
  const [refused] = await slack.say(owner, 'evidence fria UC-3');
  expect(refused!.text).toContain('Only the Accountable for safety and compliance of UC-3');
});

it('the FRIA modal submitted over Slack stores the assessment as a version of the compliance record; a missing element writes nothing', async () => {
  const view = (await slack.open(legal, 'evidence fria UC-3')) as Record<string, any>;
  const answers = Object.fromEntries(FRIA_ELEMENT_IDS.map((id) => [inputBlockId(friaInputId(id)), `Element ${id} of the assessment, as agreed with the works council.`]));
  const incomplete = await slack.submit(legal, view, { ...answers, [inputBlockId(friaInputId('c'))]: '' });
  expect(incomplete.status).toBe(200);
  expect(JSON.stringify(incomplete.body)).toContain('response_action');
  expect((await downloads.ports.compliance.get('UC-3'))?.fria).toBeUndefined();

  h.fake.expect('chat.postMessage'); // the confirmation DM
  const res = await slack.submit(legal, view, { ...answers, [inputBlockId(FRIA_INPUTS.notifiedOn)]: '2026-08-30', [inputBlockId(FRIA_INPUTS.notificationRef)]: 'MSA-FRIA-1' });
  expect(res).toEqual({ status: 200, body: null });
  for (let i = 0; i < 100 && !(await downloads.ports.compliance.get('UC-3'))?.fria; i++) await new Promise((r) => setTimeout(r, 100));
  const stored = (await downloads.ports.compliance.get('UC-3'))!;
  expect(stored.fria!.notifiedAt!.toISOString().slice(0, 10)).toBe('2026-08-30');
  expect((await h.t.ctx.repos.audit.history('compliance:UC-3')).map((e) => e.action)).toContain('compliance.fria_recorded');
  const posts = await h.fake.waitForCall('chat.postMessage', 1);
  expect(posts[0]!.args).toMatchObject({ channel: legal.slackUserId, text: 'FRIA recorded for UC-3' });
});
