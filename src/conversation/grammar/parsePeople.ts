/**
 * People administration words: register, roles, people, whoami. Role words resolve against
 * the playbook's roles when the caller passes them, so a typo is refused here with the list
 * of valid roles instead of reaching the domain.
 */
import { emailFrom, normaliseWord, ROLE_ALIASES, roleFrom, slackUserFrom } from './aliases';
import type { RoleChoice } from './aliases';
import { catalogueEntry } from './catalogue';
import { failure, join, noMoreThan, type Step } from './steps';
import type { CommandName, ParseFailure } from './schema';

interface RoleOptions {
  roles?: readonly RoleChoice[];
}

/** The words that start an optional part of `register`; a name never needs them. */
const REGISTER_PARTS: Record<string, 'roles' | 'slack' | 'teams'> = { roles: 'roles', role: 'roles', slack: 'slack', teams: 'teams' };

function unknownRole(word: string, options: RoleOptions, name: CommandName): ParseFailure {
  const known = options.roles?.map((r) => r.id).join(', ');
  return failure(`"${word}" is not a role${known ? `; roles: ${known}` : ''}.`, name);
}

/**
 * "pm, prompt engineer" or "pm prompt": comma-separated pieces, each a role word; a piece that
 * is not one role is tried word by word, so both spellings work.
 */
function rolesFrom(text: string, options: RoleOptions, name: CommandName): string[] | ParseFailure {
  const ids: string[] = [];
  for (const piece of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const whole = roleFrom(piece, options.roles);
    if (whole && (options.roles?.length || !piece.includes(' ') || ROLE_ALIASES.has(normaliseWord(piece)))) {
      ids.push(whole);
      continue;
    }
    for (const word of piece.split(' ')) {
      const id = roleFrom(word, options.roles);
      if (!id) return unknownRole(word, options, name);
      ids.push(id);
    }
  }
  return [...new Set(ids)];
}

const isFailure = (x: unknown): x is ParseFailure => typeof x === 'object' && x !== null && (x as ParseFailure).ok === false;

/** register <email> <name…> [roles r1,r2] [slack <@U…>] [teams <aad-id>] */
export function parseRegister(words: string[], options: RoleOptions): Step {
  if (words.length < 2) return failure('Give the email address, then the name.', 'register');
  const email = emailFrom(words[1]);
  if (!email) return failure(`"${words[1]}" is not an email address; the email comes first, then the name.`, 'register');
  const parts: Record<'name' | 'roles' | 'slack' | 'teams', string[] | undefined> = { name: [], roles: undefined, slack: undefined, teams: undefined };
  let current: keyof typeof parts = 'name';
  for (const word of words.slice(2)) {
    const part = REGISTER_PARTS[word.toLowerCase()];
    if (part) {
      if (parts[part]) return failure(`"${word}" is given twice.`, 'register');
      parts[part] = [];
      current = part;
      continue;
    }
    parts[current]!.push(word);
  }
  let roles: string[] = [];
  if (parts.roles) {
    if (parts.roles.length === 0) return failure(`Name at least one role after "roles"${options.roles ? `; roles: ${options.roles.map((r) => r.id).join(', ')}` : ''}.`, 'register');
    const resolved = rolesFrom(parts.roles.join(' '), options, 'register');
    if (isFailure(resolved)) return resolved;
    roles = resolved;
  }
  const candidate: Record<string, unknown> = { name: 'register', email, personName: parts.name!.join(' '), roles };
  if (parts.slack) {
    const id = parts.slack.length === 1 ? slackUserFrom(parts.slack[0]) : undefined;
    if (!id) return failure('After "slack" mention the person once, e.g. slack @ada.', 'register');
    candidate.slackUserId = id;
  }
  if (parts.teams) {
    if (parts.teams.length !== 1) return failure('After "teams" give the Microsoft Entra (AAD) object id of the person.', 'register');
    candidate.teamsAadObjectId = parts.teams[0]!.toLowerCase();
  }
  return candidate as Step;
}

/** roles | roles <email|name> add|remove <role,...> */
export function parseRoles(words: string[], options: RoleOptions): Step {
  if (words.length === 1) return { name: 'role_list' };
  // The last add/remove splits person from roles, so a name may itself contain either word.
  let split = -1;
  for (let i = words.length - 1; i >= 2; i--) {
    if (['add', 'remove'].includes(words[i]!.toLowerCase())) {
      split = i;
      break;
    }
  }
  if (split < 0) return failure(`Say what to do: ${catalogueEntry('roles').usage}.`, 'roles');
  const rest = join(words, split + 1);
  if (!rest) return failure(`Name the role to ${words[split]!.toLowerCase()}.`, 'roles');
  const roles = rolesFrom(rest, options, 'roles');
  if (isFailure(roles)) return roles;
  const person = words.slice(1, split).join(' ');
  return { name: 'roles', person: emailFrom(person) ?? person, op: words[split]!.toLowerCase(), roles };
}

/** people [role] */
export function parsePeople(words: string[], options: RoleOptions): Step {
  const rest = join(words, 1);
  if (!rest) return { name: 'people' };
  const role = roleFrom(rest, options.roles);
  return role ? { name: 'people', role } : unknownRole(rest, options, 'people');
}

/**
 * link [<email|name>] slack <@U…> | teams <aad-id>: the last slack/teams word splits person from account.
 * `link slack` / `link teams` alone: the account this very message comes from (the channel proves it).
 */
export function parseLink(words: string[]): Step {
  const platform = words[1]?.toLowerCase();
  if (words.length === 2 && (platform === 'slack' || platform === 'teams')) return { name: 'link', own: platform } as Step;
  let split = -1;
  for (let i = words.length - 2; i >= 1; i--) {
    if (['slack', 'teams'].includes(words[i]!.toLowerCase())) {
      split = i;
      break;
    }
  }
  if (split < 0 || words.length !== split + 2) return failure('Say which account: slack @user or teams <aad-object-id>, once, at the end.', 'link');
  const person = words.slice(1, split).join(' ');
  const account = words[split + 1]!;
  const candidate: Record<string, unknown> = { name: 'link', ...(person ? { person: emailFrom(person) ?? person } : {}) };
  if (words[split]!.toLowerCase() === 'slack') {
    const id = slackUserFrom(account);
    if (!id) return failure('After "slack" mention the person once, e.g. slack @ada.', 'link');
    candidate.slackUserId = id;
  } else {
    candidate.teamsAadObjectId = account.toLowerCase();
  }
  return candidate as Step;
}

/** "who am i" is whoami. */
export function parseWho(words: string[]): Step {
  if (words[2]?.toLowerCase() !== 'i') return failure('Did you mean "whoami"?', 'whoami');
  return noMoreThan(words, 3, 'whoami') ?? { name: 'whoami' };
}
