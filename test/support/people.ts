/**
 * Test people: one registered person per policy role (plus any extras a test asks for), made
 * through the real registerPerson operation so they exist exactly as in production.
 */
import { SYSTEM_ACTOR } from '../../src/domain/people/actor';
import { registerPerson } from '../../src/domain/people/registerPerson';
import type { DomainContext } from '../../src/domain/ports';
import type { Person, RoleId } from '../../src/domain/types';

export type Team = Record<RoleId, Person>;

let counter = 0;

/** Registers one person holding `roles` with a unique name, email and Slack id. */
export async function registerTestPerson(ctx: DomainContext, roles: RoleId[], name?: string): Promise<Person> {
  const n = ++counter;
  const label = name ?? `${roles.join('+') || 'nobody'} ${n}`;
  return registerPerson(ctx, {
    actorId: SYSTEM_ACTOR,
    name: label,
    email: `person${n}.${process.pid}@example.com`,
    slackUserId: `U${process.pid.toString(36).toUpperCase()}X${n.toString(36).toUpperCase()}`,
    roles,
  });
}

/** One person per role in the policy, keyed by role id. */
export async function registerTeam(ctx: DomainContext): Promise<Team> {
  const team: Team = {};
  for (const role of ctx.policy.roles) team[role.id] = await registerTestPerson(ctx, [role.id], `${role.name} (test)`);
  return team;
}
