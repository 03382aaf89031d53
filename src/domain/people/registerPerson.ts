import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { Person } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, SYSTEM_ACTOR, unique } from './actor';

export const registerPersonInput = z.object({
  /** Who registers: an AI CoE admin, the system (seed), or anyone while nobody is registered yet. */
  actorId: z.string().min(1),
  name: z.string().trim().min(1, 'a name is required').max(120),
  email: z.email('expected an email address such as ada@example.com').trim().toLowerCase().optional(),
  slackUserId: z.string().trim().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U012ABCDEF').optional(),
  teamsAadObjectId: z.string().trim().min(1).max(100).optional(),
  roles: z.array(z.string().trim().min(1)).default([]),
});
export type RegisterPersonInput = z.input<typeof registerPersonInput>;

/** Registers a person with their chat identities and roles. Duplicated identities are a ConflictError. */
export async function registerPerson(ctx: DomainContext, raw: RegisterPersonInput): Promise<Person> {
  const input = parseInput(registerPersonInput, raw, 'person.invalid');
  const known = new Set(ctx.policy.roles.map((r) => r.id));
  const unknownRole = input.roles.find((r) => !known.has(r));
  if (unknownRole) {
    throw new ValidationError('person.unknown_role', `roles: ${unknownRole} is not a role; expected one of ${[...known].join(', ')}`);
  }
  if (input.actorId !== SYSTEM_ACTOR) {
    const actor = await ctx.repos.people.findById(input.actorId);
    // Bootstrap: the very first person may register (themselves, normally as admin) unaided.
    const bootstrap = !actor && (await ctx.repos.people.list()).length === 0;
    if (!bootstrap && !(actor && hasRole(actor, ADMIN_ROLE))) {
      throw new ForbiddenError('person.register_forbidden', 'Only an AI CoE admin can register people.');
    }
  }
  const person: Person = {
    id: randomUUID(),
    name: input.name,
    ...(input.email ? { email: input.email } : {}),
    ...(input.slackUserId ? { slackUserId: input.slackUserId } : {}),
    ...(input.teamsAadObjectId ? { teamsAadObjectId: input.teamsAadObjectId } : {}),
    roles: unique(input.roles),
    createdAt: ctx.clock.now(),
  };
  await ctx.repos.people.create(person);
  await ctx.audit({
    actorId: input.actorId,
    action: 'person.registered',
    subject: person.id,
    data: { name: person.name, roles: person.roles, slack: !!person.slackUserId, teams: !!person.teamsAadObjectId },
  });
  await ctx.events.emit({ type: 'person.registered', at: person.createdAt, actorId: input.actorId, personId: person.id });
  return person;
}
