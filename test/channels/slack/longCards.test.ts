/**
 * Cards longer than Slack's 50 blocks per message are posted whole, as continuation messages
 * (cardToBlockKitMessages), never cut. The organisation here has a big RACI: its playbook has
 * 20 responsibility areas, so `raci UC-n` needs more than one message.
 */
import type { RaciAreaDef } from '../../../src/domain/policy';
import type { Person, UseCase } from '../../../src/domain/types';
import { raciCard } from '../../../src/conversation/cards/raci';
import { indexPeople } from '../../../src/conversation/cards/format';
import { cardBlocks } from '../../../src/conversation/render/blockKit';
import { registerTeam } from '../../support/people';
import { proposeTestUseCase } from '../../support/usecases';
import { slackDriver, textOf } from './support/drive';
import { useSlackHarness } from './support/harness';

/** Four teams each run the five default areas under their own name. */
const bigRaci = (areas: RaciAreaDef[]): RaciAreaDef[] =>
  ['EMEA', 'Americas', 'APAC', 'Shared services'].flatMap((team, i) => areas.map((a) => ({ ...a, id: `${a.id}_${i}`, name: `${a.name} (${team})` })));

const h = useSlackHarness({ policy: (p) => ({ ...p, raci: bigRaci(p.raci) }) });
const slack = slackDriver(h);
let pm: Person;
let uc: UseCase;

beforeAll(async () => {
  pm = (await registerTeam(h.t.ctx)).llm_product_manager!;
  uc = await proposeTestUseCase(h.t.ctx, pm.id, 'minimal', { title: 'Global helpdesk assistant' });
});

const escaped = (s: string) => s.replace(/&/g, '&amp;');

it('posts a RACI of 20 areas as several messages of at most 50 blocks, with every area and the button', async () => {
  expect(uc.raci).toHaveLength(20);
  const posts = await slack.say(pm, `raci ${uc.key}`, 2);
  expect(posts.length).toBeGreaterThanOrEqual(2);
  for (const p of posts) {
    expect(p.body.response_type).toBe('ephemeral');
    expect(p.blocks.length).toBeGreaterThan(0);
    expect(p.blocks.length).toBeLessThanOrEqual(50);
    const ids = p.blocks.map((b) => b.block_id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  }
  expect(posts[0]!.text).toContain('Continued in the next message (1/');
  const all = posts.map((p) => p.text).join('\n');
  for (const area of h.t.ctx.policy.raci) expect(all).toContain(escaped(area.name));
  // The tail of the card (the last area and the card's button) arrives in the continuation.
  const last = h.t.ctx.policy.raci.at(-1)!;
  expect(posts.at(-1)!.text).toContain(escaped(last.name));
  expect(posts.at(-1)!.text).toContain('steward.usecase.show');
  // Nothing was lost: the messages hold exactly the card's blocks plus one note each.
  const card = raciCard({ useCase: uc, policy: h.t.ctx.policy, people: indexPeople(await h.t.ctx.repos.people.list()) });
  expect(posts.reduce((n, p) => n + p.blocks.length, 0)).toBe(cardBlocks(card).length + posts.length);
});

it('the notifier posts a long card as its messages in the same place and remembers the first', async () => {
  h.fake.expect('conversations.open').expect('chat.postMessage');
  const card = raciCard({ useCase: uc, policy: h.t.ctx.policy, people: indexPeople(await h.t.ctx.repos.people.list()) });
  const res = await h.channel.notifier.send({ key: `raci.digest:${uc.key}`, to: { personId: pm.id }, card, text: card.title });
  const posts = h.fake.callsOf('chat.postMessage');
  expect(posts.length).toBeGreaterThanOrEqual(2);
  for (const p of posts) {
    expect(p.args.channel).toBe(posts[0]!.args.channel);
    expect((p.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
  }
  expect(textOf(posts.at(-1)!.args)).toContain(escaped(h.t.ctx.policy.raci.at(-1)!.name));
  const stored = await h.channel.notifier['deps'].messages.get(`raci.digest:${uc.key}`);
  expect(res.ref).toBe(`${stored!.channel}:${stored!.ts}`);
});
