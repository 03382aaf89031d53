/** register, roles, people, whoami, link: people administration in the conversation. */
import { ForbiddenError, NotFoundError, ValidationError } from '../../../domain/errors';
import { assignRoles } from '../../../domain/people/assignRoles';
import { linkIdentity, SELF_LINK_HINT } from '../../../domain/people/linkIdentity';
import { registerPerson } from '../../../domain/people/registerPerson';
import { erasePerson } from '../../../domain/people/erasePerson';
import type { DomainContext } from '../../../domain/ports';
import type { Person } from '../../../domain/types';
import { roleName } from '../../cards/format';
import { peopleListCard, personCard, roleListCard } from '../../cards/people';
import { emailFrom, slackUserFrom } from '../../grammar/aliases';
import type { CommandOf } from '../../grammar/schema';
import type { HandlerDeps } from '../deps';
import type { Reply, SentFrom } from '../types';

/**
 * The person an admin names: a Slack mention, an email, a person id, or a name (exact first,
 * then a unique partial match). Several matches are refused with their emails, so the admin
 * can retype one without guessing.
 */
export async function findPerson(ctx: DomainContext, text: string): Promise<Person> {
  const typed = text.trim();
  const people = ctx.repos.people;
  const slackId = typed.startsWith('<@') ? slackUserFrom(typed) : undefined;
  const email = emailFrom(typed);
  const direct = slackId ? await people.findBySlackUserId(slackId) : email ? await people.findByEmail(email) : await people.findById(typed);
  if (direct) return direct;
  if (!slackId && !email) {
    const all = await people.list();
    const lower = typed.toLowerCase();
    const exact = all.filter((p) => p.name.toLowerCase() === lower);
    const matches = exact.length ? exact : all.filter((p) => p.name.toLowerCase().includes(lower));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const names = matches.slice(0, 5).map((p) => `${p.name} (${p.email ?? p.id})`).join(', ');
      throw new ValidationError('person.ambiguous', `"${typed}" matches ${matches.length} people: ${names}${matches.length > 5 ? ', …' : ''}. Use their email.`);
    }
  }
  throw new NotFoundError('person.not_found', `No registered person matches "${typed}". Type people to see everyone.`);
}

export async function registerReply({ ctx }: HandlerDeps, actor: Person, cmd: CommandOf<'register'>): Promise<Reply> {
  const person = await registerPerson(ctx, {
    actorId: actor.id,
    name: cmd.personName,
    email: cmd.email,
    roles: cmd.roles,
    ...(cmd.slackUserId ? { slackUserId: cmd.slackUserId } : {}),
    ...(cmd.teamsAadObjectId ? { teamsAadObjectId: cmd.teamsAadObjectId } : {}),
  });
  const context = 'Recorded in the audit trail. Their Slack or Teams account links by this email the first time they write to Steward.';
  return { cards: [personCard({ person, policy: ctx.policy, title: `Registered ${person.name}`, context })] };
}

export async function rolesReply({ ctx }: HandlerDeps, actor: Person, cmd: CommandOf<'roles'>): Promise<Reply> {
  const before = await findPerson(ctx, cmd.person);
  const updated = await assignRoles(ctx, { actorId: actor.id, personId: before.id, ...(cmd.op === 'add' ? { add: cmd.roles } : { remove: cmd.roles }) });
  const changed = cmd.roles.filter((r) => before.roles.includes(r) !== updated.roles.includes(r));
  const unchanged = cmd.roles.filter((r) => !changed.includes(r));
  const names = (ids: string[]) => ids.map((r) => roleName(ctx.policy, r)).join(', ');
  const context = [
    changed.length ? `${cmd.op === 'add' ? 'Added' : 'Removed'}: ${names(changed)}.` : '',
    unchanged.length ? `No change for ${names(unchanged)} (${cmd.op === 'add' ? 'already held' : 'not held'}).` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { cards: [personCard({ person: updated, policy: ctx.policy, title: `Roles of ${updated.name}`, context })] };
}

/** The acting person as stored now (a channel may hold a cached copy). */
export async function whoamiReply({ ctx }: HandlerDeps, actor: Person): Promise<Reply> {
  const person = (await ctx.repos.people.findById(actor.id)) ?? actor;
  return { cards: [personCard({ person, policy: ctx.policy, context: 'Your roles decide what you may approve and which notifications reach you.' })] };
}

export async function peopleReply({ ctx }: HandlerDeps, role?: string, page = 1): Promise<Reply> {
  if (role && !ctx.policy.roles.some((r) => r.id === role)) {
    throw new ValidationError('person.unknown_role', `${role} is not a role; expected one of ${ctx.policy.roles.map((r) => r.id).join(', ')}`);
  }
  const people = role ? await ctx.repos.people.findByRole(role) : await ctx.repos.people.list();
  return { cards: [peopleListCard({ people, policy: ctx.policy, page, ...(role ? { role } : {}) })] };
}

export async function roleListReply({ ctx }: HandlerDeps): Promise<Reply> {
  return { cards: [roleListCard({ policy: ctx.policy, people: await ctx.repos.people.list() })] };
}

/**
 * Links a chat account to the named person, or to the actor; linkIdentity decides who may.
 * `link slack` / `link teams` names the account the command was sent from (`sentFrom`, which
 * only Slack and Teams set), so from the console it is refused with how to do it instead.
 */
export async function linkReply({ ctx }: HandlerDeps, actor: Person, cmd: CommandOf<'link'>, sentFrom: SentFrom = {}): Promise<Reply> {
  const slackUserId = cmd.own === 'slack' ? ownAccount(sentFrom.slackUserId, 'Slack') : cmd.slackUserId;
  const teamsAadObjectId = cmd.own === 'teams' ? ownAccount(sentFrom.teamsAadObjectId, 'Teams') : cmd.teamsAadObjectId;
  const person = cmd.person ? await findPerson(ctx, cmd.person) : actor;
  const updated = await linkIdentity(ctx, {
    actorId: actor.id,
    personId: person.id,
    ...(slackUserId ? { slackUserId } : {}),
    ...(teamsAadObjectId ? { teamsAadObjectId } : {}),
    sentFrom,
  });
  const context = `Linked ${slackUserId ? `Slack ${slackUserId}` : `Teams ${teamsAadObjectId}`}; that account now acts as ${updated.name}.`;
  return { cards: [personCard({ person: updated, policy: ctx.policy, title: `Linked ${updated.name}`, context })] };
}

/** The account a `link slack|teams` was sent from; anywhere else (the console) there is none to prove. */
function ownAccount(id: string | undefined, platform: 'Slack' | 'Teams'): string {
  if (!id) throw new ForbiddenError('person.link_unproven', `This message did not come from ${platform}, so there is no ${platform} account to link. ${SELF_LINK_HINT}`);
  return id;
}

/** `person erase <email>`: GDPR Art. 17 erasure (src/domain/people/erasePerson.ts decides who may). */
export async function eraseReply({ ctx }: HandlerDeps, actor: Person, cmd: CommandOf<'person_erase'>): Promise<Reply> {
  const r = await erasePerson(ctx, { actorId: actor.id, email: cmd.email });
  const records = r.records.length ? `${r.records.length} record(s) given a version without them (${r.records.slice(0, 10).join(', ')}${r.records.length > 10 ? ', …' : ''})` : 'no other record named them';
  return {
    cards: [
      {
        title: `Erased: now ${r.pseudonym}`,
        text: `Their name, email and chat accounts are gone from Steward: ${records}; ${r.copies} stored message(s) and reference(s) scrubbed. Their history entries stay (the audit trail still verifies), but what they said about this person can no longer be read.`,
        context: 'The erasure is recorded in the audit trail under your name.',
      },
    ],
  };
}
