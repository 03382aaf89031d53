/**
 * `model <name> gpai systemic|not-systemic <provider> [<Art. 53 documentation link>]` over the
 * Teams channel (real CloudAdapter, real conversation and database, fake Bot Connector): the
 * general-purpose AI fields the registry keeps (provider, systemic risk per Art. 51, the
 * provider's Art. 53 documentation) are recorded from chat as the next version of the model's
 * record and shown on its card; a systemic-risk model without the link, a person who may not
 * maintain the model and malformed words are refused in a sentence, and nothing is written.
 */
import { parseCommand } from '../../../src/conversation/grammar/parseCommand';
import { registerModel } from '../../../src/domain/registry/registerModel';
import type { Person } from '../../../src/domain/types';
import { registerTeam, type Team } from '../../support/people';
import { personalMessage, type Sender } from './support/activities';
import { cardsIn, linkTeamsSenders, useTeamsHarness } from './support/harness';

const h = useTeamsHarness();
let team: Team;
const senders = new Map<string, Sender>();
const json = (v: unknown) => JSON.stringify(v);

async function say(who: Person, text: string): Promise<string> {
  const before = h.fake.callsOf('reply').length;
  await h.post(personalMessage(h.fake.serviceUrl, senders.get(who.id)!, text));
  const replies = await h.fake.waitFor('reply', before + 1);
  const cards = cardsIn(replies.at(-1)!.body);
  for (const card of cards) expect(h.cardProblems(card)).toEqual([]);
  return json(cards);
}
const versions = async (name: string) => (await h.t.ctx.repos.audit.history(`model:${name}`)).length;

beforeAll(async () => {
  team = await registerTeam(h.t.ctx);
  await linkTeamsSenders(h.t, Object.values(team), senders);
  await registerModel(h.t.ctx, {
    actorId: team.llmops_engineer!.id,
    name: 'open-weights-7b',
    provider: 'acme-cloud',
    version: '1',
    hosting: 'hosted_api',
    modelName: 'open-weights-7b',
    allowedDataClasses: ['public', 'internal'],
  });
});

it('the grammar reads the provider, the systemic-risk word and a trailing link (as Slack wraps it too)', () => {
  expect(parseCommand('model GPT-X gpai not-systemic Mistral AI')).toMatchObject({ ok: true, name: 'model_gpai', modelName: 'gpt-x', systemicRisk: false, provider: 'Mistral AI' });
  expect(parseCommand('model gpt-x gpai systemic Big Lab Inc <https://lab.example/art53|Art. 53 docs>')).toMatchObject({ systemicRisk: true, provider: 'Big Lab Inc', art53DocsUrl: 'https://lab.example/art53' });
  expect(parseCommand('model gpt-x gpai systemic https://lab.example/art53')).toMatchObject({ ok: false, message: 'expected the provider of the general-purpose AI model' });
  expect(parseCommand('model gpt-x gpai maybe Lab')).toMatchObject({ ok: false, message: expect.stringContaining('"maybe" is not systemic or not-systemic'), suggestion: 'model_gpai' });
  expect(parseCommand('model gpt-x gpai systemic Lab')).toMatchObject({ ok: false, message: expect.stringContaining('a GPAI model with systemic risk needs it') });
  expect(parseCommand('model gpt-x gpai toString Lab')).toMatchObject({ ok: false, suggestion: 'model_gpai' });
  expect(parseCommand('model gpt-x gpai not-systemic Lab ftp://lab.example/x')).toMatchObject({ ok: true, provider: 'Lab ftp://lab.example/x' });
  // The plain card command is unchanged.
  expect(parseCommand('model gpt-x')).toMatchObject({ ok: true, name: 'model', modelName: 'gpt-x' });
});

it('records the GPAI fields from chat as one new version, shown on the model card', async () => {
  const before = await versions('open-weights-7b');
  const shown = await say(team.llmops_engineer!, 'model open-weights-7b gpai systemic Frontier Lab https://frontier.example/art53');
  expect(shown).toContain('General-purpose AI model (EU AI Act Chapter V)');
  expect(shown).toContain('systemic risk (Art. 51)');
  expect(shown).toContain('Provider: Frontier Lab');
  expect(shown).toContain('https://frontier.example/art53');
  expect((await h.t.ctx.repos.models.get('open-weights-7b'))!.gpai).toEqual({ provider: 'Frontier Lab', systemicRisk: true, art53DocsUrl: 'https://frontier.example/art53' });
  const history = await h.t.ctx.repos.audit.history('model:open-weights-7b');
  expect(history.length).toBe(before + 1);
  expect(history.at(-1)).toMatchObject({ action: 'model.updated', actorId: team.llmops_engineer!.id });
});

it('refuses a systemic-risk model without the link, a person who may not maintain it, and bad words; nothing is written', async () => {
  const before = await versions('open-weights-7b');
  expect(await say(team.llmops_engineer!, 'model open-weights-7b gpai systemic Frontier Lab')).toContain("expected the link to the provider's Art. 53 documentation at the end: a GPAI model with systemic risk needs it");
  expect(await say(team.domain_expert!, 'model open-weights-7b gpai not-systemic Frontier Lab')).toContain('Only the model');
  expect(await say(team.llmops_engineer!, 'model open-weights-7b gpai perhaps Frontier Lab')).toContain('is not systemic or not-systemic');
  expect(await say(team.llmops_engineer!, 'model no-such-model gpai not-systemic Lab')).toContain('No model named no-such-model');
  expect(await versions('open-weights-7b')).toBe(before);
  expect((await h.t.ctx.repos.models.get('open-weights-7b'))!.gpai).toMatchObject({ systemicRisk: true });
});

it('help model lists the command', async () => {
  expect(await say(team.llmops_engineer!, 'help model')).toContain('model <name> gpai systemic|not-systemic <provider> [<Art. 53 documentation link>]');
});
