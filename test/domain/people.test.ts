/** People: registration, identity resolution, linking and roles, on the real database. */
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { SYSTEM_ACTOR } from '../../src/domain/people/actor';
import { assignRoles } from '../../src/domain/people/assignRoles';
import { linkIdentity } from '../../src/domain/people/linkIdentity';
import { registerPerson } from '../../src/domain/people/registerPerson';
import { resolveActor } from '../../src/domain/people/resolveActor';
import type { Person } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { refusal } from '../support/refusal';
import type { MongoPeopleRepository } from '../../src/store/people.repo';

const t = useTestContext();


let admin: Person;

describe('people', () => {
  it('lets the very first person register unaided, then only admins', async () => {
    admin = await registerPerson(t.ctx, { actorId: 'nobody-yet', name: 'Ada Admin', email: 'Ada@Example.com', slackUserId: 'UADA0001', roles: ['ai_coe_admin'] });
    expect(admin.email).toBe('ada@example.com');
    expect(admin.roles).toEqual(['ai_coe_admin']);
    const e = await refusal(registerPerson(t.ctx, { actorId: 'stranger', name: 'Eve', roles: [] }));
    expect(e.code).toBe('person.register_forbidden');
    expect(t.events.filter((ev) => ev.type === 'person.registered')).toHaveLength(1);
  });

  it('refuses unknown roles and duplicated identities', async () => {
    const bad = await refusal(registerPerson(t.ctx, { actorId: admin.id, name: 'Bob', roles: ['wizard'] }));
    expect(bad.kind).toBe('validation');
    expect(bad.message).toMatch(/wizard is not a role/);
    const dupEmail = await refusal(registerPerson(t.ctx, { actorId: admin.id, name: 'Ada Two', email: 'ADA@example.com' }));
    expect(dupEmail.kind).toBe('conflict');
    const dupSlack = await refusal(registerPerson(t.ctx, { actorId: admin.id, name: 'Ada Three', slackUserId: 'UADA0001' }));
    expect(dupSlack.kind).toBe('conflict');
    // A refused registration leaves no half-claimed identity behind.
    const ok = await registerPerson(t.ctx, { actorId: admin.id, name: 'Bob', email: 'bob@example.com', slackUserId: 'UBOB0001', roles: ['prompt_engineer'] });
    expect((await resolveActor(t.ctx, { email: 'bob@example.com' })).id).toBe(ok.id);
  });

  it('refuses a malformed email with a readable message', async () => {
    const e = await refusal(registerPerson(t.ctx, { actorId: admin.id, name: 'Carl', email: 'not-an-email' }));
    expect(e.code).toBe('person.invalid');
    expect(e.message).toMatch(/^email: /);
  });

  it('resolves a person by Slack id, Teams id, email (any case) or id', async () => {
    const p = await registerPerson(t.ctx, { actorId: admin.id, name: 'Dana', email: 'dana@example.com', slackUserId: 'UDANA001', teamsAadObjectId: 'aad-dana', roles: ['domain_expert'] });
    for (const q of [{ slackUserId: 'UDANA001' }, { teamsAadObjectId: 'aad-dana' }, { email: 'DANA@example.com' }, { personId: p.id }]) {
      expect((await resolveActor(t.ctx, q)).name).toBe('Dana');
    }
  });

  it('tells an unknown person how to get registered', async () => {
    const e = await refusal(resolveActor(t.ctx, { slackUserId: 'UNOBODY1' }));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('person.unknown');
    expect(e.message).toMatch(/AI CoE admin/);
    expect(e.message).toMatch(/register/);
  });

  it('links a chat identity learned later, and refuses one already taken', async () => {
    const p = await registerPerson(t.ctx, { actorId: admin.id, name: 'Eli', email: 'eli@example.com', roles: [] });
    await expect(resolveActor(t.ctx, { slackUserId: 'UELI0001' })).rejects.toMatchObject({ code: 'person.unknown' });
    const linked = await linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: p.id, slackUserId: 'UELI0001' });
    expect(linked.slackUserId).toBe('UELI0001');
    expect((await resolveActor(t.ctx, { slackUserId: 'UELI0001' })).id).toBe(p.id);
    const taken = await refusal(linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: p.id, teamsAadObjectId: 'aad-dana' }));
    expect(taken.kind).toBe('conflict');
    const other = await registerPerson(t.ctx, { actorId: admin.id, name: 'Fay', roles: [] });
    const forbidden = await refusal(linkIdentity(t.ctx, { actorId: other.id, personId: p.id, email: 'x@example.com' }));
    expect(forbidden.code).toBe('person.link_forbidden');
  });

  it('only admins assign roles, roles must exist, and the last admin stays', async () => {
    const p = await registerPerson(t.ctx, { actorId: admin.id, name: 'Gus', roles: ['prompt_engineer'] });
    const notAdmin = await refusal(assignRoles(t.ctx, { actorId: p.id, personId: p.id, add: ['ai_coe_admin'] }));
    expect(notAdmin.code).toBe('person.roles_forbidden');
    const updated = await assignRoles(t.ctx, { actorId: admin.id, personId: p.id, add: ['llmops_engineer'], remove: ['prompt_engineer'] });
    expect(updated.roles).toEqual(['llmops_engineer']);
    expect((await t.ctx.repos.people.findByRole('llmops_engineer')).map((x) => x.id)).toContain(p.id);
    expect((await refusal(assignRoles(t.ctx, { actorId: admin.id, personId: p.id, add: ['wizard'] }))).code).toBe('person.unknown_role');
    const last = await refusal(assignRoles(t.ctx, { actorId: admin.id, personId: admin.id, remove: ['ai_coe_admin'] }));
    expect(last.code).toBe('person.last_admin');
  });

  it("takes over a claim no version holds once it is old (a writer died between claim and write), never a fresh one", async () => {
    const people = t.ctx.repos.people as MongoPeopleRepository;
    const owner = await registerPerson(t.ctx, { actorId: admin.id, name: 'Hal', roles: [] });
    const other = await registerPerson(t.ctx, { actorId: admin.id, name: 'Ivy', roles: [] });
    await people.identities.collection.insertMany([
      { _id: 'slack:UDEAD0001' as never, personId: owner.id, nonce: 'dead', at: new Date(0) },
      { _id: 'slack:UBUSY0001' as never, personId: owner.id, nonce: 'busy', at: new Date() },
    ]);
    // Nobody's version holds either, so neither resolves to anyone.
    expect(await people.findBySlackUserId('UDEAD0001')).toBeNull();
    expect(await people.findBySlackUserId('UBUSY0001')).toBeNull();
    const linked = await linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: other.id, slackUserId: 'UDEAD0001' });
    expect(linked.slackUserId).toBe('UDEAD0001');
    expect((await people.findBySlackUserId('UDEAD0001'))?.id).toBe(other.id);
    expect(await people.identities.collection.findOne({ _id: 'slack:UDEAD0001' as never })).toMatchObject({ personId: other.id });
    // A young claim may be a write still in flight: refused, not taken.
    const busy = await refusal(linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: other.id, slackUserId: 'UBUSY0001' }));
    expect(busy.code).toBe('person.duplicate');
    expect((await people.findById(other.id))!.slackUserId).toBe('UDEAD0001');
  });

  it('releases an identity a new version drops, so someone else can have it', async () => {
    const jo = await registerPerson(t.ctx, { actorId: admin.id, name: 'Jo', slackUserId: 'UJO00001', roles: [] });
    const kim = await registerPerson(t.ctx, { actorId: admin.id, name: 'Kim', roles: [] });
    await linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: jo.id, slackUserId: 'UJO00002' });
    expect(await t.ctx.repos.people.findBySlackUserId('UJO00001')).toBeNull();
    const got = await linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: kim.id, slackUserId: 'UJO00001' });
    expect((await t.ctx.repos.people.findBySlackUserId('UJO00001'))?.id).toBe(got.id);
    expect((await t.ctx.repos.people.findBySlackUserId('UJO00002'))?.id).toBe(jo.id);
  });

  it('keeps every version in the person\'s history, newest read by findById', async () => {
    const p = await registerPerson(t.ctx, { actorId: admin.id, name: 'Lou', roles: ['domain_expert'] });
    await assignRoles(t.ctx, { actorId: admin.id, personId: p.id, add: ['product_ux_design'] });
    await linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: p.id, slackUserId: 'ULOU0001' });
    // A change that changes nothing writes nothing.
    await assignRoles(t.ctx, { actorId: admin.id, personId: p.id, add: ['domain_expert'] });
    const history = await t.ctx.repos.audit.history(`person:${p.id}`);
    expect(history.map((e) => [e.version, e.action, e.actorId])).toEqual([
      [1, 'person.registered', admin.id],
      [2, 'person.roles_changed', admin.id],
      [3, 'person.identity_linked', SYSTEM_ACTOR],
    ]);
    expect(history[1]!.data).toEqual({ before: ['domain_expert'], after: ['domain_expert', 'product_ux_design'] });
    expect(await t.ctx.repos.people.findById(p.id)).toMatchObject({ rev: 3, slackUserId: 'ULOU0001', roles: ['domain_expert', 'product_ux_design'] });
  });

  it('audits every change in a chain that verifies', async () => {
    const entries = [];
    for await (const e of t.ctx.repos.audit.all()) entries.push(e);
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['person.registered', 'person.identity_linked', 'person.roles_changed']));
    expect(await verifyAudit(t.ctx.repos.audit)).toMatchObject({ ok: true, entries: entries.length });
  });
});
