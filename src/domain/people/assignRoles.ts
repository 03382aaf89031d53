import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import { updateRecord } from '../records/updateRecord';
import type { Person } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, peopleRecords, personNotFound, requireActor, SYSTEM_ACTOR, unique } from './actor';
import { AdminGuard, AdminsBusy } from './adminGuard';

export const assignRolesInput = z.object({
  actorId: z.string().min(1),
  personId: z.string().min(1),
  /** Roles to add and to remove; both may be given. */
  add: z.array(z.string().trim().min(1)).default([]),
  remove: z.array(z.string().trim().min(1)).default([]),
});
export type AssignRolesInput = z.input<typeof assignRolesInput>;

/** Tries of a removal of the admin role that meets another admin change under way. */
const ADMIN_ATTEMPTS = 20;

const sameRoles = (a: string[], b: string[]): boolean => a.length === b.length && a.every((r, i) => r === b[i]);

/** Adds and removes roles. AI CoE admins only; an admin cannot remove the last admin. */
export async function assignRoles(ctx: DomainContext, raw: AssignRolesInput): Promise<Person> {
  const input = parseInput(assignRolesInput, raw, 'person.invalid_roles');
  const forbidden = () => new ForbiddenError('person.roles_forbidden', 'Only an AI CoE admin can assign roles.');
  const actor = input.actorId === SYSTEM_ACTOR ? null : await requireActor(ctx, input.actorId);
  if (actor && !hasRole(actor, ADMIN_ROLE)) throw forbidden();
  const known = new Set(ctx.policy.roles.map((r) => r.id));
  const unknownRole = [...input.add, ...input.remove].find((r) => !known.has(r));
  if (unknownRole) {
    throw new ValidationError('person.unknown_role', `roles: ${unknownRole} is not a role; expected one of ${[...known].join(', ')}`);
  }
  for (let attempt = 1; ; attempt++) {
    const guard = new AdminGuard(ctx);
    try {
      const { record } = await updateRecord(
        ctx,
        peopleRecords(ctx),
        input.personId,
        async (person) => {
          // An admin changing their own roles is checked on the version being written on.
          if (actor?.id === person.id && !hasRole(person, ADMIN_ROLE)) throw forbidden();
          const roles = unique([...person.roles, ...input.add]).filter((r) => !input.remove.includes(r));
          if (sameRoles(roles, person.roles)) return null;
          if (hasRole(person, ADMIN_ROLE) && !roles.includes(ADMIN_ROLE)) await guard.keepAnotherAdmin(person);
          const now = ctx.clock.now();
          return {
            record: { ...person, roles },
            change: {
              at: now,
              actorId: input.actorId,
              action: 'person.roles_changed',
              data: { before: person.roles, after: roles },
              events: [{ type: 'person.updated', at: now, actorId: input.actorId, personId: person.id }],
            },
          };
        },
        personNotFound(input.personId),
      );
      return record;
    } catch (e) {
      if (!(e instanceof AdminsBusy)) throw e;
      if (attempt >= ADMIN_ATTEMPTS) throw new ConflictError('person.admins_busy', 'Another change to the AI CoE admins is under way; please try again.');
    } finally {
      await guard.release();
    }
    // Jitter, so two removals that blocked each other do not meet again in lockstep.
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 10 * attempt));
  }
}
