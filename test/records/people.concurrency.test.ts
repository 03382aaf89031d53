/**
 * People under concurrent writers, on the real database (FerretDB in the test run, where only
 * unique-index inserts are atomic): no role change lost, one chat identity never held by two
 * people, the last AI CoE admin never removed, one unaided first registration.
 */
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { ADMIN_ROLE, SYSTEM_ACTOR } from '../../src/domain/people/actor';
import { assignRoles } from '../../src/domain/people/assignRoles';
import { linkIdentity } from '../../src/domain/people/linkIdentity';
import { registerPerson } from '../../src/domain/people/registerPerson';
import type { DomainError } from '../../src/domain/errors';
import type { Person } from '../../src/domain/types';
import type { MongoPeopleRepository } from '../../src/store/people.repo';
import { useTestContext } from '../support/context';

jest.setTimeout(400_000);

const t = useTestContext();
const WRITERS = 8;
const ROUNDS = 20;

const people = () => t.ctx.repos.people as MongoPeopleRepository;
const register = (name: string, roles: string[] = []) => registerPerson(t.ctx, { actorId: SYSTEM_ACTOR, name, roles });
const rejected = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as DomainError);

describe('people, concurrently', () => {
  it('registers exactly one unaided first person when several try at once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: WRITERS }, (_, i) => registerPerson(t.ctx, { actorId: `stranger-${i}`, name: `First ${i}`, email: `first${i}@example.com`, roles: [ADMIN_ROLE] })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected(results).map((e) => e.code)).toEqual(Array(WRITERS - 1).fill('person.register_forbidden'));
    expect(await t.ctx.repos.people.list()).toHaveLength(1);
  });

  it('loses no role when eight admins add different roles to one person at once', async () => {
    const roles = t.ctx.policy.roles.map((r) => r.id).filter((r) => r !== ADMIN_ROLE).slice(0, WRITERS);
    expect(roles).toHaveLength(WRITERS);
    for (let round = 0; round < ROUNDS; round++) {
      const p = await register(`Roles ${round}`);
      const results = await Promise.allSettled(roles.map((role) => assignRoles(t.ctx, { actorId: SYSTEM_ACTOR, personId: p.id, add: [role] })));
      expect(rejected(results)).toEqual([]);
      const stored = (await t.ctx.repos.people.findById(p.id))!;
      expect([...stored.roles].sort()).toEqual([...roles].sort());
      // Every acknowledged change is one version of the history, none overwritten.
      const history = await t.ctx.repos.audit.history(`person:${p.id}`);
      expect(history.map((e) => e.version)).toEqual(Array.from({ length: WRITERS + 1 }, (_, i) => i + 1));
      expect(history.slice(1).every((e) => e.action === 'person.roles_changed')).toBe(true);
      // And every one was announced once.
      expect(t.events.filter((e) => e.type === 'person.updated' && e.personId === p.id)).toHaveLength(WRITERS);
      // The projection caught up with the newest version.
      for (const role of roles) expect((await t.ctx.repos.people.findByRole(role)).some((x) => x.id === p.id)).toBe(true);
    }
  });

  it('gives one Slack id to exactly one of two people linking it at once; the other is refused and nothing is half-written', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pair = [await register(`Left ${round}`), await register(`Right ${round}`)];
      const slackUserId = `URACE${String(round).padStart(3, '0')}`;
      const writers = Array.from({ length: WRITERS }, (_, i) => pair[i % 2]!);
      const results = await Promise.allSettled(writers.map((p) => linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: p.id, slackUserId })));

      const heads = await Promise.all(pair.map((p) => t.ctx.repos.people.findById(p.id)));
      const holders = heads.filter((h): h is Person => h?.slackUserId === slackUserId);
      expect(holders).toHaveLength(1);
      const winner = holders[0]!;
      const loser = heads.find((h) => h!.id !== winner.id)!;
      // Every writer for the winner succeeded; every writer for the other got a clear conflict.
      results.forEach((r, i) => {
        if (writers[i]!.id === winner.id) expect(r.status).toBe('fulfilled');
        else expect(r.status === 'rejected' && (r.reason as DomainError).code).toBe('person.duplicate');
      });
      expect(rejected(results).every((e) => e.kind === 'conflict' && /already registered with slack/.test(e.message))).toBe(true);
      // Nothing half-written: the loser has only its first version, one claim names the winner, no end token is left.
      expect((await t.ctx.repos.audit.history(`person:${loser.id}`)).map((e) => e.action)).toEqual(['person.registered']);
      expect((await t.ctx.repos.audit.history(`person:${winner.id}`)).map((e) => e.action)).toEqual(['person.registered', 'person.identity_linked']);
      expect((await t.ctx.repos.people.findBySlackUserId(slackUserId))?.id).toBe(winner.id);
      const claims = await people().identities.collection.find({ _id: { $regex: slackUserId } as never }).toArray();
      expect(claims).toEqual([expect.objectContaining({ _id: `slack:${slackUserId}`, personId: winner.id })]);
    }
  });

  it('never removes the last AI CoE admin, whoever removes whom at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await register(`Admin A${round}`, [ADMIN_ROLE]);
      await register(`Admin B${round}`, [ADMIN_ROLE]);
      const admins = await t.ctx.repos.people.findByRole(ADMIN_ROLE);
      expect(admins).toHaveLength(3); // the one left by the last round, and two new ones
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, i) => assignRoles(t.ctx, { actorId: SYSTEM_ACTOR, personId: admins[i % admins.length]!.id, remove: [ADMIN_ROLE] })),
      );
      const heads = await Promise.all(admins.map((a) => t.ctx.repos.people.findById(a.id)));
      const left = heads.filter((h) => h!.roles.includes(ADMIN_ROLE));
      expect(left).toHaveLength(1);
      // Writers for the one left were refused as the last admin (or, rarely, told to try again).
      results.forEach((r, i) => {
        if (admins[i % admins.length]!.id === left[0]!.id) {
          expect(r.status === 'rejected' && ['person.last_admin', 'person.admins_busy'].includes((r.reason as DomainError).code)).toBe(true);
        } else expect(r.status).toBe('fulfilled');
      });
      // The projection agrees with the heads; no admin claim is left held.
      expect((await t.ctx.repos.people.findByRole(ADMIN_ROLE)).map((p) => p.id)).toEqual([left[0]!.id]);
      expect(await t.ctx.conn.collection('claims').countDocuments({ _id: { $regex: '^person\\.admin:' } as never })).toBe(0);
    }
  });

  it('leaves a trail that verifies', async () => {
    expect(await verifyAudit(t.ctx.repos.audit)).toMatchObject({ ok: true });
  });
});
