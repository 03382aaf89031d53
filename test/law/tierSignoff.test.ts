/**
 * A lower tier waits for AI Governance & Legal (issue 13), and they decide it in chat:
 * `show UC-n` shows the pending change with the commands; `tier UC-n confirm` (with the Art. 6(4)
 * assessment for a derogation) makes it hold, `tier UC-n reject <reason>` keeps the current tier;
 * anyone else, or nothing pending, is refused and writes nothing. Real database, conversation handler.
 */
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { proposeUseCase } from '../../src/domain/usecases/proposeUseCase';
import { updateUseCase } from '../../src/domain/usecases/updateUseCase';
import type { Person, UseCase } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { ANSWERS_FOR, baseAnswers, noDerogation } from '../support/usecases';

const t = useTestContext();
let team: Team;
let legal: Person;
let convo: Conversation;
let unexpected: unknown[] = [];

const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.title, c.text, c.sections, c.context]));
const get = async (key: string): Promise<UseCase> => (await t.ctx.repos.useCases.get(key))!;
const head = async (key: string) => (await t.ctx.repos.audit.head(`usecase:${key}`))!;

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  legal = team.ai_governance_legal!;
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

async function lowered(): Promise<UseCase> {
  const pm = team.llm_product_manager;
  const uc = await proposeUseCase(t.ctx, { actorId: pm.id, title: 'Screening that became a search box', description: 'x', answers: ANSWERS_FOR.high });
  expect(uc.tier).toBe('high');
  const after = await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, answers: { annex_iii_areas: ['none'] } });
  expect(after).toMatchObject({ tier: 'high', legal: { pending: { tier: 'minimal' } } });
  return after;
}

describe('a lowering from re-answering', () => {
  it('shows as pending in show UC-n with the commands, and holds only once legal confirms', async () => {
    const uc = await lowered();
    const shown = text(await say(team.llm_product_manager, `show ${uc.key}`));
    expect(shown).toContain('Pending tier change: High risk → Minimal');
    expect(shown).toContain(`tier ${uc.key} confirm`);
    expect(shown).toContain(`tier ${uc.key} reject <reason>`);

    const before = (await head(uc.key)).version;
    const refused = await say(team.llm_product_manager, `tier ${uc.key} confirm`);
    expect(refused.refusal?.code).toBe('usecase.tier_signoff_forbidden');
    expect((await head(uc.key)).version).toBe(before);

    const ok = await say(legal, `tier ${uc.key} confirm`);
    expect(ok.refusal).toBeUndefined();
    expect(ok.cards[0]!.context).toContain('Signed off');
    const stored = await get(uc.key);
    expect(stored.tier).toBe('minimal');
    expect(stored.legal?.pending).toBeUndefined();
    expect(await head(uc.key)).toMatchObject({ action: 'usecase.tier_signed_off', actorId: legal.id, data: { tierFrom: 'high', tierTo: 'minimal' } });
    expect(text(await say(legal, `show ${uc.key}`))).not.toContain('Pending tier change');
    expect((await say(legal, `tier ${uc.key} confirm`)).refusal?.code).toBe('usecase.no_pending_tier');
  });

  it('legal may refuse it with a reason: the tier stays and the refusal is recorded', async () => {
    const uc = await lowered();
    expect(text(await say(legal, `tier ${uc.key} reject`))).toContain('a reason is required');
    const r = await say(legal, `tier ${uc.key} reject the system still ranks candidates`);
    expect(r.refusal).toBeUndefined();
    const stored = await get(uc.key);
    expect(stored.tier).toBe('high');
    expect(stored.legal?.pending).toBeUndefined();
    expect(stored.tierReasons.some((x) => x.startsWith('A lower tier ('))).toBe(false);
    expect(stored.tierReasons.at(-1)).toContain('the system still ranks candidates');
    expect(await head(uc.key)).toMatchObject({ action: 'usecase.tier_signoff_rejected', data: { tierHeld: 'high', tierRefused: 'minimal', reason: 'the system still ranks candidates' } });
  });
});

describe('an Art. 6(3) derogation', () => {
  it('needs the Art. 6(4) assessment with the sign-off', async () => {
    const answers = baseAnswers({ annex_iii_areas: ['employment_recruitment'], ...noDerogation, art_6_3_a_narrow_procedural: true, material_influence: false });
    const uc = await proposeUseCase(t.ctx, { actorId: team.llm_product_manager.id, title: 'CV field extractor', description: 'x', answers });
    expect(uc).toMatchObject({ tier: 'high', legal: { pending: { tier: 'minimal', needs: ['legal_signoff', 'art6_4_assessment'] } } });
    expect(text(await say(legal, `show ${uc.key}`))).toContain(`tier ${uc.key} confirm <assessment link> <summary>`);

    expect((await say(legal, `tier ${uc.key} confirm`)).refusal?.code).toBe('usecase.art6_4_missing');
    expect(text(await say(legal, `tier ${uc.key} confirm https://wiki.example.com/a64`))).toContain('summary of the assessment');
    expect((await get(uc.key)).tier).toBe('high');

    const ok = await say(legal, `tier ${uc.key} confirm https://wiki.example.com/a64 Narrow procedural task: extracts fields, no ranking`);
    expect(ok.refusal).toBeUndefined();
    const stored = await get(uc.key);
    expect(stored.tier).toBe('minimal');
    expect(stored.legal?.art6Assessment).toMatchObject({ url: 'https://wiki.example.com/a64', by: legal.id });
  });
});
