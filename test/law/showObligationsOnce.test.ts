/**
 * `show UC-n` lists each obligation once: the readiness sections (missing, met, not yet
 * applicable with the date) carry them all, so the card does not repeat them in a second list.
 * Counted on the rendered text for a high-risk use case before and after the Annex III date.
 */
import { createConversation } from '../../src/conversation/handlers';
import { useCaseCard } from '../../src/conversation/cards/useCase';
import { obligationsFor } from '../../src/domain/obligations/obligationsFor';
import type { Obligation } from '../../src/domain/obligations/types';
import type { Policy } from '../../src/domain/policy';
import { dateInForce } from '../../src/domain/obligations/dates';
import type { UseCase } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let team: Team;
let high: UseCase;
let unexpected: unknown[] = [];

const occurrences = (hay: string, needle: string): number => hay.split(needle).length - 1;

beforeAll(async () => {
  t.clock.set('2026-12-04T09:00:00Z');
  team = await registerTeam(t.ctx);
  high = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, 'high', { title: 'CV screening (provider)' });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

const withDates = (policy: Policy, datesInForce: 'original' | 'amended'): Policy => ({ ...policy, regulation: { ...policy.regulation!, datesInForce } });
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How often each obligation's article is named outside the controls list ("Art. 4" is not "Art. 43"). */
function countsOf(shown: string, obligations: readonly Obligation[]): Record<string, number> {
  return Object.fromEntries(obligations.map((o) => [o.article, (shown.match(new RegExp(`${escapeRegExp(o.article)}(?![\\d(])`, 'g')) ?? []).length]));
}

async function show(policy: Policy): Promise<string> {
  const convo = createConversation({ ctx: { ...t.ctx, policy }, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
  const reply = await convo.handle(team.llm_product_manager!, { kind: 'command', text: `show ${high.key}` });
  // The controls list names articles too ("not due yet (Art. 9 applies from …)"): that is not a listing of obligations.
  return reply.cards.map((c) => (c.sections ?? []).filter((s) => !s.title?.startsWith('Required controls')).map((s) => `${s.title}\n${s.text ?? ''}`).join('\n')).join('\n');
}

it.each(['amended', 'original'] as const)('%s dates: every obligation is named exactly once, with "Applies now" or its date', async (set) => {
  const policy = withDates(t.ctx.policy, set);
  const obligations = obligationsFor(high, policy, t.clock.now());
  const notYet = obligations.filter((o) => o.state === 'not_yet_applicable');
  // The amended dates leave most duties for later (more than one card section's worth: the overflow path); the original ones apply them now.
  if (set === 'amended') expect(notYet.length).toBeGreaterThan(10);
  else expect(notYet).toEqual([]);
  const shown = await show(policy);
  expect(countsOf(shown, obligations)).toEqual(Object.fromEntries(obligations.map((o) => [o.article, 1])));
  expect(shown).not.toContain('EU AI Act obligations (');
  if (set === 'amended') {
    const from = dateInForce(policy.regulation, 'annex_iii_high_risk')!;
    expect(occurrences(shown, `Applies from ${from}:`)).toBe(1);
    expect(shown).toMatch(/Applies now, missing \(1\)\n✗ Art\. 4 AI literacy/);
  } else {
    expect(shown).toContain(`Applies now, missing (${obligations.length})`);
    expect(shown).not.toContain('Not yet applicable');
  }
});

it('the other use case cards (no readiness view) still list the obligations with their dates', () => {
  const obligations = obligationsFor(high, t.ctx.policy, t.clock.now());
  const card = useCaseCard({ useCase: high, policy: t.ctx.policy, people: new Map(), now: t.clock.now(), obligations });
  const listed = card.sections!.find((s) => s.title?.startsWith('EU AI Act obligations'))!;
  expect(countsOf(listed.text!, obligations)).toEqual(Object.fromEntries(obligations.map((o) => [o.article, 1])));
});
