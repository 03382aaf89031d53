/**
 * Slack user id -> Steward person. First by the stored Slack id; else by the email Slack
 * knows for the user (users.info, needs the users:read.email scope), and then the Slack id is
 * linked to that person (linkIdentity: stored and audited) so the next request is one lookup.
 * An unknown person gets null and nothing is written.
 */
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import type { Logger } from 'pino';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '../../domain/people/actor';
import { linkIdentity } from '../../domain/people/linkIdentity';
import type { DomainContext } from '../../domain/ports';
import type { Person } from '../../domain/types';

const usersInfoSchema = z.object({
  user: z.object({ deleted: z.boolean().optional(), is_bot: z.boolean().optional(), profile: z.object({ email: z.string().optional() }).optional() }).optional(),
});

/**
 * Known Slack users for a minute, so a busy channel does not pay two lookups per click. Only the
 * id mapping is reused: the conversation re-reads the person before any decision
 * (createConversation), so cached roles never authorise anything. Unknown users are never
 * cached, so a new registration works at once.
 */
export class SlackActorCache {
  private readonly entries = new Map<string, { person: Person; until: number }>();
  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 5_000,
  ) {}
  get(slackUserId: string): Person | undefined {
    const e = this.entries.get(slackUserId);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      this.entries.delete(slackUserId);
      return undefined;
    }
    return e.person;
  }
  set(slackUserId: string, person: Person): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(slackUserId, { person, until: Date.now() + this.ttlMs });
  }
}

export async function slackActor(
  ctx: DomainContext,
  client: WebClient,
  slackUserId: string,
  logger: Logger,
  cache?: SlackActorCache,
): Promise<Person | null> {
  const cached = cache?.get(slackUserId);
  if (cached) return cached;
  const found = await lookup(ctx, client, slackUserId, logger);
  if (found) cache?.set(slackUserId, found);
  return found;
}

async function lookup(ctx: DomainContext, client: WebClient, slackUserId: string, logger: Logger): Promise<Person | null> {
  const linked = await ctx.repos.people.findBySlackUserId(slackUserId);
  if (linked) return linked;

  let email: string | undefined;
  try {
    const info = usersInfoSchema.safeParse(await client.users.info({ user: slackUserId }));
    const user = info.success ? info.data.user : undefined;
    if (!user || user.deleted || user.is_bot) return null;
    email = user.profile?.email;
  } catch (e) {
    // missing_scope (users:read.email not granted) or a Slack outage: treat as unknown, say why in the log.
    logger.warn({ err: e instanceof Error ? e.message : String(e), slackUserId }, 'slack users.info failed; cannot map user by email');
    return null;
  }
  if (!email) return null;

  const person = await ctx.repos.people.findByEmail(email);
  if (!person) return null;
  if (person.slackUserId && person.slackUserId !== slackUserId) {
    // The email's owner is already linked to another Slack account: do not silently re-point it.
    logger.warn({ personId: person.id, slackUserId }, 'slack user matches an email already linked to another Slack id');
    return null;
  }
  return linkIdentity(ctx, { actorId: SYSTEM_ACTOR, personId: person.id, slackUserId });
}
