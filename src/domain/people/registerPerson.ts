import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ForbiddenError, isDomainError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import { createRecord } from '../records/updateRecord';
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

/** Claimed by the one unaided first registration, so two people writing at once cannot both be "first". */
export const FIRST_REGISTRATION_CLAIM = 'person.first_registration';

/** Registers a person with their chat identities and roles. Duplicated identities are a ConflictError. */
export async function registerPerson(ctx: DomainContext, raw: RegisterPersonInput): Promise<Person> {
  const input = parseInput(registerPersonInput, raw, 'person.invalid');
  const known = new Set(ctx.policy.roles.map((r) => r.id));
  const unknownRole = input.roles.find((r) => !known.has(r));
  if (unknownRole) {
    throw new ValidationError('person.unknown_role', `roles: ${unknownRole} is not a role; expected one of ${[...known].join(', ')}`);
  }
  let bootstrap = false;
  if (input.actorId !== SYSTEM_ACTOR) {
    const actor = await ctx.repos.people.findById(input.actorId);
    if (!(actor && hasRole(actor, ADMIN_ROLE))) {
      // Bootstrap: the very first person may register (themselves, normally as admin) unaided.
      bootstrap = !actor && (await ctx.repos.people.list()).length === 0 && (await ctx.repos.claims.claim(FIRST_REGISTRATION_CLAIM, { actorId: input.actorId }));
      if (!bootstrap) throw new ForbiddenError('person.register_forbidden', 'Only an AI CoE admin can register people.');
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
  try {
    return await createRecord(ctx, () =>
      ctx.repos.people.create(person, {
        at: person.createdAt,
        actorId: input.actorId,
        action: 'person.registered',
        data: { name: person.name, roles: person.roles, slack: !!person.slackUserId, teams: !!person.teamsAadObjectId },
        events: [{ type: 'person.registered', at: person.createdAt, actorId: input.actorId, personId: person.id }],
      }),
    );
  } catch (e) {
    // Refused, so nobody was registered: the first registration is still open. (An unknown
    // outcome keeps the claim: the person may exist.)
    if (bootstrap && isDomainError(e)) await ctx.repos.claims.release(FIRST_REGISTRATION_CLAIM);
    throw e;
  }
}
