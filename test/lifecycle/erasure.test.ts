/**
 * Issue 16, erasure (GDPR Art. 17): `person erase <email>` by an AI CoE admin. Afterwards no
 * collection holds the person's name, email or chat ids in clear (every document of every
 * collection is scanned, the history included: their entries hold those values sealed with a
 * key that erasure destroyed), `audit verify` still passes against a checkpoint signed before
 * the erasure, other people's data is untouched, the erasure is audited, and a non-admin is
 * refused with nothing written. The CLI (`npm run person -- erase … --as <admin>`) too.
 */
import { REFUSAL_AUDIT_ACTION } from '../../src/conversation/handlers/auditRefusal';
import { checkpointAudit } from '../../src/domain/audit/checkpointAudit';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { castVote } from '../../src/domain/approvals/castVote';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { pullKillSwitch } from '../../src/domain/incidents/pullKillSwitch';
import { registerPerson } from '../../src/domain/people/registerPerson';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import type { Person } from '../../src/domain/types';
import { createConversation, type Conversation } from '../../src/conversation/handlers';
import { routeEvents } from '../../src/notifications/routeEvents';
import { createDeliveryRepository } from '../../src/store/deliveries.repo';
import type { MongoPeopleRepository } from '../../src/store/people.repo';
import { ERASED_VALUE } from '../../src/store/personVault';
import { MongoSlackMessageRepository } from '../../src/store/slackMessages.repo';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { runScript } from '../domain/scriptRunner';

jest.setTimeout(120_000);

const t = useTestContext();
let team: Team;
let convo: Conversation;
const unexpected: unknown[] = [];
const col = (name: string) => t.ctx.conn.db!.collection<any>(name);
const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const text = (r: { cards: Array<{ title: string; text?: string }> }) => r.cards.map((c) => `${c.title} ${c.text ?? ''}`).join(' ');

/** Every document of every collection, as text, that contains one of the values (case-insensitive). */
async function traces(values: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const c of await t.ctx.conn.db!.listCollections({}, { nameOnly: true }).toArray()) {
    for await (const doc of col(c.name).find({})) {
      const json = JSON.stringify(doc).toLowerCase();
      for (const v of values) if (json.includes(v.toLowerCase())) found.push(`${c.name}/${String(doc._id)}: ${v}`);
    }
  }
  return found;
}

/** A person who votes, reports, is named in messages and chat references: then erased. */
async function busyPerson(name: string, email: string, slack: string, teams: string): Promise<{ person: Person; values: string[] }> {
  const admin = team.ai_coe_admin!;
  const person = await registerPerson(t.ctx, { actorId: admin.id, name, email, slackUserId: slack, teamsAadObjectId: teams, roles: ['ai_governance_legal', 'domain_expert', 'llm_product_manager'] });
  // Records: a use case they own and propose, a gate they vote on, an incident they report and pull the kill switch of.
  const uc = await proposeTestUseCase(t.ctx, person.id, 'minimal', { title: 'An assistant' });
  const { approval } = await requestAdvance(t.ctx, { actorId: person.id, key: uc.key });
  for (const voter of [person, ...Object.values(team)]) {
    await castVote(t.ctx, { actorId: voter.id, approvalKey: approval.key, decision: 'approve', reason: 'looks fine' }).catch(() => undefined);
  }
  const incident = await reportIncident(t.ctx, { reporterId: person.id, useCaseKey: uc.key, category: t.ctx.policy.incidents.categories[0]!.id, severity: 'sev3', description: 'The bot answered in the wrong language.' });
  await pullKillSwitch(t.ctx, { actorId: person.id, key: incident.key }).catch(() => undefined);
  // Copies: a message naming them, a Slack message reference, their Teams conversation reference, a claim.
  const deliveries = createDeliveryRepository(t.ctx.conn);
  await deliveries.enqueue({ key: `hello:${person.id}`, to: { personId: person.id }, card: { title: `Welcome, ${name}` }, text: `Welcome ${name} <${email}>` }, t.clock.now());
  await new MongoSlackMessageRepository(t.ctx.conn).save({ key: `hello:${person.id}`, channel: 'D0DM', ts: '1.2', subjects: [uc.key], at: t.clock.now() });
  await col('teams_conversations').insertOne({ _id: `person:${person.id}`, reference: { user: { id: `29:${teams}`, name, aadObjectId: teams }, conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example' }, at: new Date() });
  await t.ctx.repos.claims.claim(`test:${person.id}`, { channel: 'slack', email });
  return { person, values: [name, email, slack, teams, ...name.split(' ')] };
}

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  routeEvents(t.ctx, createDeliveryRepository(t.ctx.conn));
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push(e) });
});
afterEach(() => expect(unexpected).toEqual([]));

test('a non-admin is refused and nothing is written', async () => {
  const { person } = await busyPerson('Yannick Refusalton', 'yannick.r@example.org', 'U0YANNICK', '1f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a51');
  // Written: nothing but the refusal's own audit entry (every decision is audited, refusals too).
  const records = () => col('history').countDocuments({ action: { $ne: REFUSAL_AUDIT_ACTION } });
  const refusals = () => col('history').countDocuments({ action: REFUSAL_AUDIT_ACTION });
  const before = await records();
  const refusedBefore = await refusals();
  const reply = await say(team.llm_product_manager!, `person erase yannick.r@example.org`);
  expect(text(reply)).toMatch(/Only an AI CoE admin can erase a person/);
  expect(await records()).toBe(before);
  expect(await refusals()).toBe(refusedBefore + 1);
  expect(await t.ctx.repos.people.findById(person.id)).toMatchObject({ name: 'Yannick Refusalton', email: 'yannick.r@example.org' });
  expect(text(await say(team.ai_coe_admin!, 'person erase not-an-email'))).toMatch(/expected the email|email address/);
});

test('erase: no trace in any collection, audit verify passes against the earlier checkpoint, others untouched, the erasure audited', async () => {
  const admin = team.ai_coe_admin!;
  const { person, values } = await busyPerson('Zelda Quorumfield', 'zelda.q@example.org', 'U0ZELDA01', '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
  const other = team.ai_governance_legal!;
  // A display cache read before the erasure.
  const people = t.ctx.repos.people as MongoPeopleRepository;
  expect((await people.listForDisplay()).some((p) => p.name === 'Zelda Quorumfield')).toBe(true);
  // Before: the values are there (in projections, messages, references; sealed in the history).
  expect((await traces(values)).length).toBeGreaterThan(3);
  expect(await traces(values).then((f) => f.filter((x) => x.startsWith('history/')))).toEqual([]);
  const checkpoint = await checkpointAudit({ repo: t.ctx.repos.audit, clock: t.clock });
  expect(checkpoint).not.toBeNull();

  const reply = await say(admin, 'person erase Zelda.Q@example.org');
  expect(reply.cards[0]!.title).toBe(`Erased: now Erased person ${person.id.slice(0, 8)}`);

  expect(await traces(values)).toEqual([]);
  const verification = await verifyAudit(t.ctx.repos.audit);
  expect(verification).toMatchObject({ ok: true, checkpoint: { seq: checkpoint!.seq } });
  // The person: a pseudonym, no email or chat ids; identities released; the history kept, its values unreadable.
  const erased = await t.ctx.repos.people.findById(person.id);
  expect(erased).toMatchObject({ name: `Erased person ${person.id.slice(0, 8)}`, roles: [] });
  expect(erased!.email ?? erased!.slackUserId ?? erased!.teamsAadObjectId).toBeUndefined();
  expect(await t.ctx.repos.people.findByEmail('zelda.q@example.org')).toBeNull();
  expect(await t.ctx.repos.people.findBySlackUserId('U0ZELDA01')).toBeNull();
  const history = await t.ctx.repos.audit.history(`person:${person.id}`);
  expect(history.at(-1)).toMatchObject({ action: 'person.erased', actorId: admin.id });
  expect(history.length).toBeGreaterThan(1);
  expect(await people.vault.open(history[0]!.state!.name)).toBe(ERASED_VALUE);
  expect((await people.listForDisplay()).some((p) => p.name === 'Zelda Quorumfield')).toBe(false);
  // Others: untouched and readable, in the projection and in their own history.
  expect(await t.ctx.repos.people.findById(other.id)).toMatchObject({ name: other.name, email: other.email });
  const theirs = await t.ctx.repos.audit.history(`person:${other.id}`);
  expect(await people.vault.open(theirs[0]!.state!.name)).toBe(other.name);
  // Records still say who did what, by id: the erased person's votes and ownership stay.
  const uc = (await t.ctx.repos.useCases.list({ personId: person.id }))[0]!;
  expect(uc.ownerId).toBe(person.id);
  // A second erasure finds nobody by that email (and writes nothing).
  const count = await col('history').countDocuments();
  expect(text(await say(admin, 'person erase zelda.q@example.org'))).toMatch(/No registered person has the email/);
  expect(await col('history').countDocuments()).toBe(count);
  // And a new checkpoint over the trail after erasure is accepted.
  await checkpointAudit({ repo: t.ctx.repos.audit, clock: t.clock });
  expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
});

test('the CLI erases for a named admin, and refuses without one', async () => {
  const { person, values } = await busyPerson('Xavier Clitestson', 'xavier.c@example.org', 'U0XAVIER1', '2f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a52');
  const env = { MONGODB_URI: process.env.STEWARD_TEST_MONGODB_URI!, MONGODB_DB: t.ctx.conn.db!.databaseName };
  const refused = await runScript('person.ts', ['erase', 'xavier.c@example.org', '--as', team.llm_product_manager!.email!], env);
  expect(refused).toMatchObject({ code: 1 });
  expect(refused.stderr).toMatch(/Refused: Only an AI CoE admin can erase a person/);
  expect(await t.ctx.repos.people.findById(person.id)).toMatchObject({ name: 'Xavier Clitestson' });
  const done = await runScript('person.ts', ['erase', 'xavier.c@example.org', '--as', team.ai_coe_admin!.email!], env);
  expect(done).toMatchObject({ code: 0, stderr: '' });
  expect(done.stdout).toMatch(/^Erased xavier.c@example.org: now "Erased person /);
  expect(await traces(values)).toEqual([]);
  expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
});
