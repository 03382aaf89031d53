/**
 * Fuzzing the Teams channel: 600 seeded activities to the real CloudAdapter (the Teams harness:
 * real HTTP app, real database, a fake Bot Connector as every serviceUrl): messages, channel
 * mentions, card actions, installs, and each of them with a field removed, nulled or of the
 * wrong type. Expected: no HTTP 5xx, no unhandled rejection, and activities from people Steward
 * does not know (or too malformed to read) write no record.
 */
import { FORM_IDS } from '../../src/conversation/actions';
import { APPROVE_ACTION_ID, INCIDENT_STATUS_ACTION_ID, PAGE_ACTION_ID, RACI_ACTION_ID, SHOW_USE_CASE_ACTION_ID } from '../../src/conversation/actions';
import type { Team } from '../support/people';
import { registerTeam } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { linkIdentity } from '../../src/domain/people/linkIdentity';
import { SYSTEM_ACTOR } from '../../src/domain/people/actor';
import { cardAction, channelMention, personalInstall, personalMessage, teamInstall } from '../channels/teams/support/activities';
import { countAll, newSender, useTeamsHarness } from '../channels/teams/support/harness';
import { chance, commandText, mutate, oddString, pick, seeded, type Random } from './generators';

const SEED = 12_500;
const STRANGER_ACTIVITIES = 350;
const MIXED_ACTIVITIES = 250;
const CONCURRENCY = 4;

const h = useTeamsHarness();
let team: Team;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  team = await registerTeam(h.t.ctx);
  await proposeTestUseCase(h.t.ctx, team.llm_product_manager!.id, 'minimal', { title: 'Teams fuzz target' });
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});
// The harness fails a test on connector calls it does not implement; a fuzz run makes many.
afterEach(() => h.fake.reset());

/** Fields a mutation leaves alone: the serviceUrl must stay the fake (a real bot would call it). */
const PROTECTED = ['serviceUrl'];
const VERBS = [APPROVE_ACTION_ID, INCIDENT_STATUS_ACTION_ID, PAGE_ACTION_ID, RACI_ACTION_ID, SHOW_USE_CASE_ACTION_ID, ...FORM_IDS, 'steward.retired', ''];

function activity(r: Random, sender: ReturnType<typeof newSender>): unknown {
  const url = h.fake.serviceUrl;
  const roll = r();
  let a: unknown;
  if (roll < 0.4) a = personalMessage(url, sender, commandText(r));
  else if (roll < 0.55) a = channelMention(url, sender, commandText(r));
  else if (roll < 0.85) a = cardAction(url, sender, pick(r, VERBS), { value: pick(r, ['UC-1', 'APR-1', 'INC-1', oddString(r)]), note: oddString(r) });
  else if (roll < 0.92) a = personalInstall(url, sender);
  else a = teamInstall(url, sender);
  return chance(r, 0.35) ? mutate(r, a, PROTECTED) : a;
}

async function run(activities: unknown[]): Promise<Array<{ status: number; i: number }>> {
  const out: Array<{ status: number; i: number }> = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < activities.length; i = next++) {
      const res = await h.post(activities[i]);
      out.push({ status: res.status, i });
      if (res.status >= 500 && process.env.FUZZ_DEBUG) console.log(res.status, JSON.stringify(res.body), JSON.stringify(activities[i]).slice(0, 1500));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

async function settled(): Promise<Record<string, number>> {
  let last = JSON.stringify(await countAll(h.t));
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = JSON.stringify(await countAll(h.t));
    if (now === last) return JSON.parse(now);
    last = now;
  }
  return JSON.parse(last);
}

it(`${STRANGER_ACTIVITIES} activities from strangers: no 5xx, no unhandled error, no record written`, async () => {
  const r = seeded(SEED);
  const before = await settled();
  const started = performance.now();
  const results = await run(Array.from({ length: STRANGER_ACTIVITIES }, () => activity(r, newSender('Stranger'))));
  const after = await settled();
  expect(results.filter((x) => x.status >= 500).map((x) => `#${x.i}: ${x.status}`)).toEqual([]);
  expect(unhandled.map(String)).toEqual([]);
  // Strangers get "I don't know you" and nothing else: the record collections are unchanged. Not
  // records: retry claims, and the conversation reference a team install stores (whoever installs).
  const records = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).filter(([name]) => !['claims', 'teams_refs', 'teams_conversations'].includes(name)));
  expect(records(after)).toEqual(records(before));
  expect(performance.now() - started).toBeLessThan(120_000);
}, 180_000);

it(`${MIXED_ACTIVITIES} activities from registered people, many mutated: no 5xx, no unhandled error`, async () => {
  const r = seeded(SEED + 1);
  const people: Array<ReturnType<typeof newSender>> = [];
  for (const person of Object.values(team)) {
    const s = newSender(person.name);
    await linkIdentity(h.t.ctx, { actorId: SYSTEM_ACTOR, personId: person.id, teamsAadObjectId: s.aadObjectId });
    people.push(s);
  }
  const started = performance.now();
  const results = await run(Array.from({ length: MIXED_ACTIVITIES }, () => activity(r, pick(r, people))));
  await settled();
  expect(results.filter((x) => x.status >= 500).map((x) => `#${x.i}: ${x.status}`)).toEqual([]);
  expect(unhandled.map(String)).toEqual([]);
  expect(performance.now() - started).toBeLessThan(120_000);
}, 180_000);
