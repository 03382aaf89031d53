/**
 * Who is acting, and the small role checks every operation shares. Operations receive a
 * person id (resolved at the channel edge by resolveActor) and load the person here, so
 * authorisation is always decided on the stored roles, never on what a client claims.
 */
import type { ZodType } from 'zod';
import { ForbiddenError, NotFoundError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { VersionedStore } from '../records/updateRecord';
import type { Person, RoleId } from '../types';

/** Actor id of the scheduler, the seed script and other non-human callers. */
export const SYSTEM_ACTOR = 'system';

export const ADMIN_ROLE = 'ai_coe_admin';
export const PRODUCT_MANAGER_ROLE = 'llm_product_manager';

export const REGISTER_HINT =
  'Ask an AI CoE admin to run `register <your email> <your name> roles <role,...>`; your Slack or Teams account then links by that email the first time you write (or the admin links it with `link <your email> slack @you`).';

export const hasRole = (person: Pick<Person, 'roles'>, role: RoleId): boolean => person.roles.includes(role);
export const hasAnyRole = (person: Pick<Person, 'roles'>, roles: readonly RoleId[]): boolean =>
  person.roles.some((r) => roles.includes(r));

/** Loads the acting person; an unknown id is a refusal, not a crash. */
export async function requireActor(ctx: DomainContext, actorId: string): Promise<Person> {
  const person = await ctx.repos.people.findById(actorId);
  if (!person) throw new ForbiddenError('person.unknown', `You are not registered in Steward. ${REGISTER_HINT}`);
  return person;
}

/** The people repository in the shape updateRecord writes through (newest version in, next version out). */
export const peopleRecords = (ctx: DomainContext): VersionedStore<Person> => ({
  get: (id) => ctx.repos.people.findById(id),
  save: (person, change) => ctx.repos.people.update(person, change),
});

export const personNotFound = (id: string) => () => new NotFoundError('person.not_found', `No registered person with id ${id}.`);

/** Parses an operation's input; the first issue becomes one readable sentence. */
export function parseInput<T>(schema: ZodType<T>, input: unknown, code: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFromIssues(code, result.error.issues);
  return result.data;
}

export const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];
