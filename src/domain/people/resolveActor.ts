import { z } from 'zod';
import { ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { Person } from '../types';
import { parseInput, REGISTER_HINT } from './actor';

export const resolveActorInput = z.union([
  z.object({ slackUserId: z.string().trim().min(1) }),
  z.object({ teamsAadObjectId: z.string().trim().min(1) }),
  z.object({ email: z.string().trim().min(3) }),
  z.object({ personId: z.string().trim().min(1) }),
]);
export type ResolveActorInput = z.input<typeof resolveActorInput>;

/** Maps a chat identity to a registered person, or refuses with how to get registered. */
export async function resolveActor(ctx: DomainContext, raw: ResolveActorInput): Promise<Person> {
  const input = parseInput(resolveActorInput, raw, 'person.invalid_identity');
  const people = ctx.repos.people;
  const person =
    'slackUserId' in input
      ? await people.findBySlackUserId(input.slackUserId)
      : 'teamsAadObjectId' in input
        ? await people.findByTeamsAadObjectId(input.teamsAadObjectId)
        : 'email' in input
          ? await people.findByEmail(input.email)
          : await people.findById(input.personId);
  if (!person) throw new ForbiddenError('person.unknown', `You are not registered in Steward yet. ${REGISTER_HINT}`);
  return person;
}
