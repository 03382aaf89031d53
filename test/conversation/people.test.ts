/**
 * People administration through the conversation (register, roles, people, whoami) on the
 * real database: what an admin may do, what everyone else is refused, that a refusal writes
 * nothing, and that every new card renders for Slack, Teams and the console.
 */
import { REFUSAL_AUDIT_ACTION } from '../../src/conversation/handlers/auditRefusal';
import { expectRendersEverywhere } from '../support/renders';
import { PAGE_ACTION_ID } from '../../src/conversation/actions';
import { PEOPLE_PER_PAGE } from '../../src/conversation/cards/people';
import { parseCommand } from '../../src/conversation/grammar';
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { ADMIN_ROLE, REGISTER_HINT } from '../../src/domain/people/actor';
import type { Person } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { registerTeam, registerTestPerson, type Team } from '../support/people';

const t = useTestContext();
let team: Team;
let convo: Conversation;
let unexpected: unknown[] = [];
let admin: Person;

const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.title, c.subtitle, c.text, c.fields, c.sections, c.badge, c.context]));
const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const suffix = `${process.pid}`;
const email = (local: string) => `${local}.${suffix}@example.com`;

/** Entries that record a change; a refused decision's own audit entry (auditRefusal.ts) changes nothing. */
async function auditCount(): Promise<number> {
  let n = 0;
  for await (const e of t.ctx.repos.audit.all()) if (e.action !== REFUSAL_AUDIT_ACTION) n++;
  return n;
}

/** What a refusal must leave untouched: people, their roles, the audit trail and emitted events. */
async function snapshot() {
  const people = await t.ctx.repos.people.list();
  return { people: people.map((p) => `${p.id}:${[...p.roles].sort().join(',')}`).sort(), audit: await auditCount(), events: t.events.length };
}

const expectRenders = expectRendersEverywhere;

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  admin = team[ADMIN_ROLE]!;
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

describe('register', () => {
  it('an admin registers a person with roles and a Slack mention; the card renders everywhere', async () => {
    const before = await auditCount();
    const r = await say(admin, `register ${email('grace')} Grace Hopper roles pm, Prompt Engineer slack <@U0GRACE1|grace>`);
    expect(r.cards[0]!.title).toBe('Registered Grace Hopper');
    const stored = await t.ctx.repos.people.findByEmail(email('grace'));
    expect(stored).toMatchObject({ name: 'Grace Hopper', slackUserId: 'U0GRACE1', roles: ['llm_product_manager', 'prompt_engineer'] });
    expect(await t.ctx.repos.people.findBySlackUserId('U0GRACE1')).toMatchObject({ id: stored!.id });
    expect(await auditCount()).toBe(before + 1);
    expect(t.events.some((e) => e.type === 'person.registered' && 'personId' in e && e.personId === stored!.id)).toBe(true);
    // The card names the roles with their playbook descriptions.
    const pm = t.ctx.policy.roles.find((x) => x.id === 'llm_product_manager')!;
    expect(text(r)).toContain(pm.name);
    expect(text(r)).toContain(pm.description);
    expect(text(r)).toContain('Slack U0GRACE1');
    expectRenders(r.cards[0]!);
  });

  it('registers with email only and a Teams object id', async () => {
    const aad = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
    const r = await say(admin, `register ${email('alan')} Alan Turing teams ${aad}`);
    expect(r.cards[0]!.title).toBe('Registered Alan Turing');
    expect(await t.ctx.repos.people.findByTeamsAadObjectId(aad)).toMatchObject({ name: 'Alan Turing', roles: [] });
    expectRenders(r.cards[0]!);
  });

  it('a non-admin is not allowed, and nothing is written', async () => {
    const before = await snapshot();
    const r = await say(team.prompt_engineer!, `register ${email('mallory')} Mallory roles admin`);
    expect(r.cards[0]!.title).toBe('Not allowed');
    expect(text(r)).toMatch(/Only an AI CoE admin can register people/);
    expect(await t.ctx.repos.people.findByEmail(email('mallory'))).toBeNull();
    expect(await snapshot()).toEqual(before);
    expectRenders(r.cards[0]!);
  });

  it('an unknown role is refused with the valid roles listed, and nothing is written', async () => {
    const before = await snapshot();
    const r = await say(admin, `register ${email('merlin')} Merlin roles wizard`);
    expect(r.cards[0]!.text).toContain('"wizard" is not a role');
    for (const role of t.ctx.policy.roles) expect(text(r)).toContain(role.id);
    expect(await snapshot()).toEqual(before);
    expectRenders(r.cards[0]!);
  });

  it('a duplicate email is a conflict, and nothing is written', async () => {
    const taken = team.domain_expert!.email!;
    const before = await snapshot();
    const r = await say(admin, `register ${taken.toUpperCase()} Someone Else roles ux`);
    expect(r.cards[0]!.title).toBe('Could not do that');
    expect(text(r)).toContain(taken);
    expect(r.refusal?.code).toBe('person.duplicate');
    expect(await snapshot()).toEqual(before);
  });

  it('a Slack account already linked to someone is a conflict too', async () => {
    const before = await snapshot();
    const r = await say(admin, `register ${email('copycat')} Copy Cat slack <@${team.domain_expert!.slackUserId}>`);
    expect(r.cards[0]!.title).toBe('Could not do that');
    expect(await snapshot()).toEqual(before);
  });
});

describe('roles', () => {
  it('an admin adds and removes roles by email, by name and by Slack mention', async () => {
    const ada = await registerTestPerson(t.ctx, ['domain_expert'], 'Ada Byron');
    const added = await say(admin, `roles ${ada.email} add security, legal`);
    expect(added.cards[0]!.title).toBe('Roles of Ada Byron');
    expect((await t.ctx.repos.people.findById(ada.id))!.roles.sort()).toEqual(['ai_governance_legal', 'ai_security_specialist', 'domain_expert']);
    expect(added.cards[0]!.context).toMatch(/Added: AI Security Specialist, AI Governance & Legal/);
    expectRenders(added.cards[0]!);

    const removed = await say(admin, 'roles ada byron remove legal');
    expect((await t.ctx.repos.people.findById(ada.id))!.roles.sort()).toEqual(['ai_security_specialist', 'domain_expert']);
    expect(removed.cards[0]!.context).toMatch(/Removed: AI Governance & Legal/);

    const again = await say(admin, `roles <@${ada.slackUserId}> remove legal`);
    expect(again.cards[0]!.context).toMatch(/No change .*not held/);
  });

  it('a non-admin is not allowed and nothing changes', async () => {
    const before = await snapshot();
    const r = await say(team.llm_product_manager!, `roles ${team.llm_product_manager!.email} add admin`);
    expect(r.cards[0]!.title).toBe('Not allowed');
    expect(await snapshot()).toEqual(before);
  });

  it('an unknown person or role is refused with what was wrong', async () => {
    const before = await snapshot();
    const nobody = await say(admin, `roles ${email('nobody')} add pm`);
    expect(nobody.cards[0]!.title).toBe('Not found');
    expect(text(nobody)).toContain(email('nobody'));
    const wizard = await say(admin, `roles ${team.domain_expert!.email} add wizard`);
    expect(text(wizard)).toContain('prompt_engineer');
    expect(await snapshot()).toEqual(before);
  });

  it('a name matching several people asks for the email', async () => {
    await registerTestPerson(t.ctx, [], 'Sam Twin One');
    await registerTestPerson(t.ctx, [], 'Sam Twin Two');
    const before = await snapshot();
    const r = await say(admin, 'roles sam twin add pm');
    expect(text(r)).toMatch(/matches 2 people: .*Use their email/);
    expect(await snapshot()).toEqual(before);
  });

  it('the last admin cannot lose the role', async () => {
    const admins = await t.ctx.repos.people.findByRole(ADMIN_ROLE);
    expect(admins.map((p) => p.id)).toEqual([admin.id]);
    const r = await say(admin, `roles ${admin.email} remove admin`);
    expect(r.cards[0]!.title).toBe('Not allowed');
    expect((await t.ctx.repos.people.findById(admin.id))!.roles).toContain(ADMIN_ROLE);
  });

  it('roles alone lists every role with its description and holders', async () => {
    const r = await say(team.domain_expert!, 'roles');
    for (const role of t.ctx.policy.roles) {
      expect(text(r)).toContain(role.description);
      expect(text(r)).toContain(role.id);
    }
    expectRenders(r.cards[0]!);
  });
});

describe('link', () => {
  it('an admin links a Slack account to a person; a person links their own Teams account', async () => {
    const p = await registerTestPerson(t.ctx, ['domain_expert'], 'Link Target');
    const r = await say(admin, `link ${p.email} slack <@U0LINKED9>`);
    expect(r.cards[0]!.title).toBe('Linked Link Target');
    expect(await t.ctx.repos.people.findBySlackUserId('U0LINKED9')).toMatchObject({ id: p.id });
    expectRenders(r.cards[0]!);
    const aad = '11111111-2222-4333-8444-555555555555';
    // Sent from that very Teams account (the channel sets sentFrom); see test/security/linkProof.test.ts.
    await convo.handle(p, { kind: 'command', text: `link teams ${aad}`, sentFrom: { teamsAadObjectId: aad } });
    expect(await t.ctx.repos.people.findByTeamsAadObjectId(aad)).toMatchObject({ id: p.id });
  });

  it("a non-admin cannot link someone else's account, and nothing changes", async () => {
    const before = await snapshot();
    const r = await say(team.domain_expert!, `link ${team.prompt_engineer!.email} slack <@U0THIEF1>`);
    expect(r.cards[0]!.title).toBe('Not allowed');
    expect(await t.ctx.repos.people.findBySlackUserId('U0THIEF1')).toBeNull();
    expect(await snapshot()).toEqual(before);
  });
});

describe('whoami and people', () => {
  it('whoami shows the acting person with roles, descriptions and chat accounts', async () => {
    const me = team.ai_security_specialist!;
    const r = await say(me, 'whoami');
    const role = t.ctx.policy.roles.find((x) => x.id === 'ai_security_specialist')!;
    expect(r.cards[0]!.title).toBe(me.name);
    expect(text(r)).toContain(me.email!);
    expect(text(r)).toContain(role.name);
    expect(text(r)).toContain(role.description);
    expect(text(r)).toContain(`Slack ${me.slackUserId}`);
    expectRenders(r.cards[0]!);
    expect(text(await say(me, 'who am i'))).toContain(role.description);
  });

  it('whoami reads the stored roles, not a stale copy', async () => {
    const p = await registerTestPerson(t.ctx, ['domain_expert'], 'Stale Copy');
    await say(admin, `roles ${p.email} add ux`);
    const r = await say(p, 'whoami');
    expect(text(r)).toContain('Product & UX Design');
  });

  it('people lists everyone a page at a time; the page button shows the next page', async () => {
    const all = await t.ctx.repos.people.list();
    expect(all.length).toBeGreaterThan(PEOPLE_PER_PAGE);
    const r = await say(team.domain_expert!, 'people');
    const card = r.cards[0]!;
    expect(card.title).toBe(`People (${all.length})`);
    expect(card.sections).toHaveLength(PEOPLE_PER_PAGE);
    expect(card.pagination).toMatchObject({ page: 1, pages: Math.ceil(all.length / PEOPLE_PER_PAGE), actionId: PAGE_ACTION_ID });
    expectRenders(card);
    const next = await convo.handle(team.domain_expert!, { kind: 'action', actionId: PAGE_ACTION_ID, value: JSON.stringify({ ...card.pagination!.value, page: 2 }) });
    expect(next.cards[0]!.pagination?.page).toBe(2);
    const shown = [...card.sections!, ...next.cards[0]!.sections!].map((s) => s.title);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('people <role> lists only the holders of that role', async () => {
    const holders = await t.ctx.repos.people.findByRole('ai_security_specialist');
    const r = await say(team.domain_expert!, 'people security');
    expect(r.cards[0]!.title).toBe(`People: AI Security Specialist (${holders.length})`);
    expect(r.cards[0]!.sections!.map((s) => s.title).sort()).toEqual(holders.map((p) => p.name).sort());
    expectRenders(r.cards[0]!);
    const none = await say(team.domain_expert!, 'people wizard');
    expect(text(none)).toContain('platform_engineering');
  });
});

describe('help, typos and the registration hint', () => {
  it('help lists the new commands', async () => {
    const r = await say(team.domain_expert!, 'help');
    for (const usage of ['register <email> <name>', 'roles <email|name> add|remove', 'whoami', 'people [role]']) expect(text(r)).toContain(usage);
    expectRenders(r.cards[0]!);
    expect(text(await say(team.domain_expert!, 'help register'))).toContain('AI CoE admins');
  });

  it('a typo of register gets a did-you-mean with its usage', async () => {
    const r = await say(admin, `regster ${email('typo')} Typo Person`);
    expect(r.cards[0]!.title).toMatch(/did you mean/i);
    expect(text(r)).toMatch(/Did you mean register\?/);
    expect(text(r)).toContain('register <email> <name>');
    expect(await t.ctx.repos.people.findByEmail(email('typo'))).toBeNull();
  });

  it('the hint given to unknown people names a command that parses', async () => {
    const typed = /`([^`]+)`/.exec(REGISTER_HINT)?.[1];
    expect(typed).toBeDefined();
    const line = typed!.replace('<your email>', 'new@example.com').replace('<your name>', 'New Person').replace('<role,...>', 'domain_expert');
    const parsed = parseCommand(line, { roles: t.ctx.policy.roles });
    expect(parsed).toMatchObject({ ok: true, name: 'register', email: 'new@example.com', personName: 'New Person', roles: ['domain_expert'] });
    const linkLine = [...REGISTER_HINT.matchAll(/`([^`]+)`/g)][1]?.[1];
    expect(linkLine).toBeDefined();
    const link = parseCommand(linkLine!.replace('<your email>', 'new@example.com').replace('@you', '<@U0NEW1>'));
    expect(link).toMatchObject({ ok: true, name: 'link', person: 'new@example.com', slackUserId: 'U0NEW1' });
  });
});
