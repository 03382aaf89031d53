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
  /**
   * The chat account the request itself came from, as the channel verified it (the signed Slack
   * request's user, the Teams activity's sender). A person who is not an admin may link only
   * this account to themself: naming an id proves nothing, sending from it does.
   */
  sentFrom: z.object({ slackUserId: z.string().optional(), teamsAadObjectId: z.string().optional() }).optional(),
});
export type LinkIdentityInput = z.input<typeof linkIdentityInput>;

export const SELF_LINK_HINT =
  'Steward links a chat account to you only when the request comes from that account: send `link slack` from Slack (`/steward link slack`) or `link teams` from Teams. An AI CoE admin can also link it for you: `link <your email> slack @you`.';

/**
 * Adds a chat identity to an existing person. Who may:
 *  - the system (a channel that mapped a sender by the email their platform verified);
 *  - an AI CoE admin, for anyone (audited: the version names the admin);
 *  - a person for themself, only the chat account the request came from (`sentFrom`), never an
 *    email: otherwise anyone could claim a colleague's not-yet-linked Slack or Teams account,
 *    or an email that a colleague's chat account would later be mapped by, and be taken for them.
 * A refusal writes nothing, as every refusal does.
 * An identity already linked to someone else is a ConflictError from the repository (which
 * claims it before writing the version, so of two people linking one identity at once exactly
 * one gets it).
 */
export async function linkIdentity(ctx: DomainContext, raw: LinkIdentityInput): Promise<Person> {
  const input = parseInput(linkIdentityInput, raw, 'person.invalid_identity');
  if (!input.slackUserId && !input.teamsAadObjectId && !input.email) {
    throw new ValidationError('person.invalid_identity', 'Give a slackUserId, teamsAadObjectId or email to link.');
  }
  const linked = (['slackUserId', 'teamsAadObjectId', 'email'] as const).filter((k) => input[k]);
  const authority = await authorityFor(ctx, input);
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
          data: { linked, authority },
          events: [{ type: 'person.updated', at: now, actorId: input.actorId, personId: person.id }],
        },
      };
    },
    personNotFound(input.personId),
  );
  return record;
}

/** Why this actor may link these identities, or a ForbiddenError saying why not. */
async function authorityFor(ctx: DomainContext, input: z.output<typeof linkIdentityInput>): Promise<'system' | 'admin' | 'self'> {
  if (input.actorId === SYSTEM_ACTOR) return 'system';
  // Fresh from the store: a role removed a moment ago no longer counts.
  const actor = await ctx.repos.people.findById(input.actorId);
  if (actor && hasRole(actor, ADMIN_ROLE)) return 'admin';
  const refuse = (code: string, message: string): never => {
    throw new ForbiddenError(code, message);
  };
  if (!actor || input.actorId !== input.personId) return refuse('person.link_forbidden', "Only an AI CoE admin can link another person's identities.");
  if (input.email) return refuse('person.link_unproven', 'Only an AI CoE admin can change the email your chat accounts are matched by.');
  const unproven = (['slackUserId', 'teamsAadObjectId'] as const).filter((k) => input[k] && input.sentFrom?.[k] !== input[k]);
  if (unproven.length) return refuse('person.link_unproven', SELF_LINK_HINT);
  return 'self';
}
