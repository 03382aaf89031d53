import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { Person } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, SYSTEM_ACTOR } from './actor';

export const linkIdentityInput = z.object({
  actorId: z.string().min(1),
  personId: z.string().min(1),
  slackUserId: z.string().trim().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U012ABCDEF').optional(),
  teamsAadObjectId: z.string().trim().min(1).max(100).optional(),
  email: z.email('expected an email address such as ada@example.com').trim().toLowerCase().optional(),
});
export type LinkIdentityInput = z.input<typeof linkIdentityInput>;

/**
 * Adds a chat identity to an existing person, e.g. the Slack id the adapter learned by looking
 * the person up by email. The person themself, an admin or the system may link; an identity
 * already linked to someone else is a ConflictError from the repository.
 */
export async function linkIdentity(ctx: DomainContext, raw: LinkIdentityInput): Promise<Person> {
  const input = parseInput(linkIdentityInput, raw, 'person.invalid_identity');
  if (!input.slackUserId && !input.teamsAadObjectId && !input.email) {
    throw new ValidationError('person.invalid_identity', 'Give a slackUserId, teamsAadObjectId or email to link.');
  }
  if (input.actorId !== SYSTEM_ACTOR && input.actorId !== input.personId) {
    const actor = await ctx.repos.people.findById(input.actorId);
    if (!actor || !hasRole(actor, ADMIN_ROLE)) {
      throw new ForbiddenError('person.link_forbidden', "Only an AI CoE admin can link another person's identities.");
    }
  }
  const person = await ctx.repos.people.findById(input.personId);
  if (!person) throw new NotFoundError('person.not_found', `No registered person with id ${input.personId}.`);
  const updated: Person = {
    ...person,
    ...(input.slackUserId ? { slackUserId: input.slackUserId } : {}),
    ...(input.teamsAadObjectId ? { teamsAadObjectId: input.teamsAadObjectId } : {}),
    ...(input.email ? { email: input.email } : {}),
  };
  await ctx.repos.people.update(updated);
  const linked = ['slackUserId', 'teamsAadObjectId', 'email'].filter((k) => (input as Record<string, unknown>)[k]);
  await ctx.audit({ actorId: input.actorId, action: 'person.identity_linked', subject: person.id, data: { linked } });
  await ctx.events.emit({ type: 'person.updated', at: ctx.clock.now(), actorId: input.actorId, personId: person.id });
  return updated;
}
