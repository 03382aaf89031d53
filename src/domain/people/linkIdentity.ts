import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import { updateRecord } from '../records/updateRecord';
import type { Person } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, peopleRecords, personNotFound, SYSTEM_ACTOR } from './actor';

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
 * already linked to someone else is a ConflictError from the repository (which claims it
 * before writing the version, so of two people linking one identity at once exactly one gets it).
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
  const linked = (['slackUserId', 'teamsAadObjectId', 'email'] as const).filter((k) => input[k]);
  const { record } = await updateRecord(
    ctx,
    peopleRecords(ctx),
    input.personId,
    (person) => {
      // Already linked (by this call's twin, or earlier): nothing to write.
      if (linked.every((k) => person[k] === input[k])) return null;
      const now = ctx.clock.now();
      return {
        record: { ...person, ...Object.fromEntries(linked.map((k) => [k, input[k]])) },
        change: {
          at: now,
          actorId: input.actorId,
          action: 'person.identity_linked',
          data: { linked },
          events: [{ type: 'person.updated', at: now, actorId: input.actorId, personId: person.id }],
        },
      };
    },
    personNotFound(input.personId),
  );
  return record;
}
