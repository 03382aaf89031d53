/**
 * `evidence pack UC-n` from Teams: the reply card carries a signed, expiring link (Action.OpenUrl)
 * the person can open; it downloads the stored PDF, and stops working once it has expired.
 */
import { seedDemo } from '../../src/app/seedDemo';
import { cardsIn, useTeamsHarness } from '../channels/teams/support/harness';
import { personalMessage, type Sender } from '../channels/teams/support/activities';
import { lazyDownloads } from './downloads';
import { evidencePorts, pdfText } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const downloads = lazyDownloads((ctx) => evidencePorts(ctx as never));
const h = useTeamsHarness({ conversationDeps: (ctx) => downloads.deps(ctx) });
let sender: Sender;

beforeAll(async () => {
  h.t.clock.set('2026-09-01T09:00:00Z');
  await seedDemo(h.t.ctx);
  await downloads.start();
  const uc = (await h.t.ctx.repos.useCases.get('UC-3'))!;
  const owner = (await h.t.ctx.repos.people.findById(uc.ownerId))!;
  sender = { id: '29:1demo-owner', aadObjectId: owner.teamsAadObjectId!, name: owner.name, personalConversationId: 'a:1demo-owner' };
});
afterAll(() => downloads.stop());

it('replies with a card whose link downloads the pack, until the link expires', async () => {
  await h.post(personalMessage(h.fake.serviceUrl, sender, 'evidence pack UC-3'));
  const [reply] = await h.fake.waitFor('reply');
  const [card] = cardsIn(reply!.body);
  expect(h.cardProblems(card)).toEqual([]);
  const open = (card.actions ?? []).filter((a: any) => a.type === 'Action.OpenUrl');
  expect(open.map((a: any) => a.title)).toEqual(['Download PDF', 'Download Markdown']);

  const pdf = await fetch(open[0].url);
  expect(pdf.status).toBe(200);
  const bytes = Buffer.from(await pdf.arrayBuffer());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdfText(bytes)).toContain('Annex IV point 9');
  const md = await fetch(open[1].url);
  expect(await md.text()).toContain('# Evidence pack: UC-3');

  h.t.clock.advanceDays(2);
  const expired = await fetch(open[0].url);
  expect(expired.status).toBe(410);
  expect(await expired.text()).toContain('expired');
});

it('show UC-3 in Teams: the readiness sections and the FRIA button fit the Adaptive Card schema and limits', async () => {
  await h.post(personalMessage(h.fake.serviceUrl, sender, 'show UC-3'));
  const replies = await h.fake.waitFor('reply');
  const [card] = cardsIn(replies.at(-1)!.body);
  expect(h.cardProblems(card)).toEqual([]);
  const json = JSON.stringify(card);
  expect(json).toContain('EU AI Act readiness');
  expect(json).toContain('Fill in the FRIA (Art. 27)');
});
