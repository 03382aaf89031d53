/**
 * People cards: one person (whoami, and the answer to register / roles), the people list and
 * the role catalogue. Roles are shown with the playbook's names and descriptions, so a person
 * reads what a role means, not only its id.
 */
import type { Policy } from '../../domain/policy';
import type { Person } from '../../domain/types';
import { PAGE_ACTION_ID } from '../actions';
import { clip, formatDay, roleName } from './format';
import { pageOf } from './model';
import type { Card, Field, Section } from './model';

export const PEOPLE_PER_PAGE = 10;

/** Which chat accounts are linked; the ids are not secret inside the organisation. */
export function chatAccounts(person: Pick<Person, 'slackUserId' | 'teamsAadObjectId'>): string {
  const linked = [person.slackUserId ? `Slack ${person.slackUserId}` : '', person.teamsAadObjectId ? `Teams ${person.teamsAadObjectId}` : ''].filter(Boolean);
  return linked.length ? linked.join(' · ') : 'none linked yet';
}

export const roleNames = (policy: Policy, roles: readonly string[]): string => (roles.length ? roles.map((r) => roleName(policy, r)).join(', ') : 'no roles');

export interface PersonCardInput {
  person: Person;
  policy: Policy;
  /** Defaults to the person's name. */
  title?: string;
  /** Footer line, e.g. what just changed. */
  context?: string;
}

/** One person: identity, chat accounts and every role with what it means. */
export function personCard({ person, policy, title, context }: PersonCardInput): Card {
  const fields: Field[] = [
    { label: 'Name', value: person.name },
    { label: 'Email', value: person.email ?? 'none' },
    { label: 'Chat accounts', value: chatAccounts(person) },
    { label: 'Registered', value: formatDay(person.createdAt) },
  ];
  const sections: Section[] = person.roles.map((id) => ({
    title: roleName(policy, id),
    text: policy.roles.find((r) => r.id === id)?.description ?? `${id} is no longer a role in the playbooks.`,
  }));
  return {
    title: title ?? person.name,
    ...(person.email ? { subtitle: person.email } : {}),
    badge: person.roles.length ? { label: `${person.roles.length} role${person.roles.length === 1 ? '' : 's'}`, tone: 'info' } : { label: 'No roles', tone: 'warning' },
    fields,
    ...(sections.length ? { sections } : { text: 'No roles yet: an AI CoE admin can add them with roles <email> add <role>.' }),
    ...(context ? { context } : {}),
  };
}

export interface PeopleListInput {
  people: readonly Person[];
  policy: Policy;
  page: number;
  /** Only people holding this role. */
  role?: string;
  perPage?: number;
}

export function peopleListCard({ people, policy, page, role, perPage = PEOPLE_PER_PAGE }: PeopleListInput): Card {
  const title = role ? `People: ${roleName(policy, role)}` : 'People';
  if (people.length === 0) {
    return { title, text: role ? `Nobody holds this role yet. An AI CoE admin can add it with roles <email> add ${role}.` : 'Nobody is registered yet.' };
  }
  const sorted = [...people].sort((a, b) => a.name.localeCompare(b.name));
  const slice = pageOf(sorted, page, perPage);
  return {
    title: `${title} (${people.length})`,
    sections: slice.items.map((p) => ({
      title: p.name,
      text: clip(`${p.email ?? 'no email'} · ${roleNames(policy, p.roles)} · ${chatAccounts(p)}`, 400),
    })),
    ...(slice.pages > 1
      ? { pagination: { page: slice.page, pages: slice.pages, actionId: PAGE_ACTION_ID, value: { list: 'people' as const, page: slice.page, ...(role ? { filter: role } : {}) } } }
      : {}),
    context: 'people <role> lists the holders of one role; roles shows every role.',
  };
}

/** Every role of the playbooks with its description and how many people hold it. */
export function roleListCard({ policy, people }: { policy: Policy; people: readonly Person[] }): Card {
  return {
    title: `Roles (${policy.roles.length})`,
    sections: policy.roles.map((r) => {
      const holders = people.filter((p) => p.roles.includes(r.id)).length;
      return {
        title: `${r.name} · ${r.id}`,
        badge: holders ? { label: `${holders} ${holders === 1 ? 'person' : 'people'}`, tone: 'info' as const } : { label: 'Nobody', tone: 'warning' as const },
        text: r.description,
      };
    }),
    context: 'Type a role by its id, its name or a short word (e.g. admin, pm, legal).',
  };
}
