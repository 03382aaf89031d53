import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { Person } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, requireActor, SYSTEM_ACTOR, unique } from './actor';

export const assignRolesInput = z.object({
  actorId: z.string().min(1),
  personId: z.string().min(1),
  /** Roles to add and to remove; both may be given. */
  add: z.array(z.string().trim().min(1)).default([]),
  remove: z.array(z.string().trim().min(1)).default([]),
});
export type AssignRolesInput = z.input<typeof assignRolesInput>;

/** Adds and removes roles. AI CoE admins only; an admin cannot remove the last admin. */
export async function assignRoles(ctx: DomainContext, raw: AssignRolesInput): Promise<Person> {
  const input = parseInput(assignRolesInput, raw, 'person.invalid_roles');
  if (input.actorId !== SYSTEM_ACTOR) {
    const actor = await requireActor(ctx, input.actorId);
    if (!hasRole(actor, ADMIN_ROLE)) throw new ForbiddenError('person.roles_forbidden', 'Only an AI CoE admin can assign roles.');
  }
  const known = new Set(ctx.policy.roles.map((r) => r.id));
  const unknownRole = [...input.add, ...input.remove].find((r) => !known.has(r));
  if (unknownRole) {
    throw new ValidationError('person.unknown_role', `roles: ${unknownRole} is not a role; expected one of ${[...known].join(', ')}`);
  }
  const person = await ctx.repos.people.findById(input.personId);
  if (!person) throw new NotFoundError('person.not_found', `No registered person with id ${input.personId}.`);
  const roles = unique([...person.roles, ...input.add]).filter((r) => !input.remove.includes(r));
  if (hasRole(person, ADMIN_ROLE) && !roles.includes(ADMIN_ROLE)) {
    const admins = await ctx.repos.people.findByRole(ADMIN_ROLE);
    if (admins.length <= 1) throw new ForbiddenError('person.last_admin', 'This is the last AI CoE admin; make someone else admin first.');
  }
  const updated: Person = { ...person, roles };
  await ctx.repos.people.update(updated);
  await ctx.audit({
    actorId: input.actorId,
    action: 'person.roles_changed',
    subject: person.id,
    data: { before: person.roles, after: roles },
  });
  await ctx.events.emit({ type: 'person.updated', at: ctx.clock.now(), actorId: input.actorId, personId: person.id });
  return updated;
}
