/**
 * Teams user -> Steward person. First by the Entra ID (AAD) object id Teams puts on every
 * activity; else by the email Teams knows for the member (TeamsInfo.getMember: email or
 * userPrincipalName), and then the object id is linked to that person (linkIdentity: stored
 * and audited) so the next message is one lookup. An unknown person gets null and nothing is
 * written.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { unknownUserText } from '../../conversation/handlers/safe';
import { SYSTEM_ACTOR } from '../../domain/people/actor';
import { linkIdentity } from '../../domain/people/linkIdentity';
import type { DomainContext } from '../../domain/ports';
import type { Person } from '../../domain/types';

/** Teams maps a person by the email of their Microsoft 365 account (TeamsInfo.getMember). */
export const UNKNOWN_USER_TEXT = unknownUserText('Microsoft 365 account');

/** The email Teams reports for the sender, or undefined when the lookup is not possible. */
async function memberEmail(context: TurnContext, logger: Logger): Promise<string | undefined> {
  const from = context.activity.from;
  if (!from?.id) return undefined;
  try {
    const member = await TeamsInfo.getMember(context, from.id);
    const email = member.email || member.userPrincipalName;
    return email && email.includes('@') ? email : undefined;
  } catch (e) {
    // Not in Teams (emulator), or the member lookup failed: treat as unknown, say why in the log.
    logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'teams member lookup failed; cannot map user by email');
    return undefined;
  }
}

export async function teamsActor(ctx: DomainContext, context: TurnContext, logger: Logger): Promise<Person | null> {
  const aadObjectId = context.activity.from?.aadObjectId;
  if (aadObjectId) {
    const linked = await ctx.repos.people.findByTeamsAadObjectId(aadObjectId);
    if (linked) return linked;
  }
  const email = await memberEmail(context, logger);
  if (!email) return null;
  const person = await ctx.repos.people.findByEmail(email);
  if (!person) return null;
  if (!aadObjectId) return person; // nothing to link; the email lookup runs again next time
  if (person.teamsAadObjectId && person.teamsAadObjectId !== aadObjectId) {
    // The email's owner is linked to another Teams account: do not silently re-point it.
    logger.warn({ personId: person.id }, 'teams user matches an email already linked to another Teams account');
    return null;
  }
  return linkIdentity(ctx, { actorId: SYSTEM_ACTOR, personId: person.id, teamsAadObjectId: aadObjectId });
}
