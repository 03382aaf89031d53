/** The paginated use case list; page buttons carry the filter so the next page is the same list. */
import type { Policy } from '../../domain/policy';
import { ALL_STAGES, RISK_TIERS } from '../../domain/types';
import type { UseCase } from '../../domain/types';
import { OPEN_INTAKE_ACTION_ID, PAGE_ACTION_ID, SHOW_USE_CASE_ACTION_ID } from '../actions';
import type { ListFilter } from '../grammar/schema';
import { clip, nameOf, stageName, TIER_TONES, tierLabel } from './format';
import type { PeopleIndex } from './format';
import { pageOf } from './model';
import type { Card } from './model';

export const USE_CASES_PER_PAGE = 10;

/** ListFilter <-> the short string a page button carries ("mine", "stage:pilot", "tier:high"). */
export function listFilterToString(filter: ListFilter): string | undefined {
  switch (filter.kind) {
    case 'all':
      return undefined;
    case 'mine':
      return 'mine';
    case 'stage':
      return `stage:${filter.stage}`;
    case 'tier':
      return `tier:${filter.tier}`;
    case 'text':
      return `text:${filter.text}`;
  }
}

export function listFilterFromString(text: string | undefined): ListFilter {
  if (text === 'mine') return { kind: 'mine' };
  // The search phrase may itself hold a colon: everything after the first one.
  if (text?.startsWith('text:') && text.length > 5) return { kind: 'text', text: text.slice(5) };
  const [kind, id] = (text ?? '').split(':');
  const stage = ALL_STAGES.find((s) => s === id);
  if (kind === 'stage' && stage) return { kind: 'stage', stage };
  const tier = RISK_TIERS.find((t) => t === id);
  if (kind === 'tier' && tier) return { kind: 'tier', tier };
  return { kind: 'all' };
}

function describe(filter: ListFilter, policy: Policy): string {
  switch (filter.kind) {
    case 'all':
      return 'All use cases';
    case 'mine':
      return 'Your use cases';
    case 'stage':
      return `Use cases in ${stageName(policy, filter.stage)}`;
    case 'tier':
      return `${tierLabel(filter.tier)} use cases`;
    case 'text':
      return `Use cases matching "${clip(filter.text, 60)}"`;
  }
}

export interface UseCaseListInput {
  useCases: readonly UseCase[];
  filter: ListFilter;
  page: number;
  policy: Policy;
  people: PeopleIndex;
  perPage?: number;
}

export function useCaseListCard({ useCases, filter, page, policy, people, perPage = USE_CASES_PER_PAGE }: UseCaseListInput): Card {
  const slice = pageOf(useCases, page, perPage);
  const title = `${describe(filter, policy)} (${useCases.length})`;
  if (useCases.length === 0) {
    return {
      title,
      text: filter.kind === 'text' ? 'No use case has these words in its title or description. Try fewer words.' : 'Nothing here yet.',
      buttons: [{ label: 'Propose a use case', actionId: OPEN_INTAKE_ACTION_ID, value: 'intake', style: 'primary' }],
    };
  }
  const filterText = listFilterToString(filter);
  return {
    title,
    sections: slice.items.map((uc) => ({
      title: `${uc.key} · ${clip(uc.title, 120)}`,
      badge: { label: tierLabel(uc.tier), tone: TIER_TONES[uc.tier] },
      text: `${stageName(policy, uc.stage)} · owner ${nameOf(people, uc.ownerId)}`,
      buttons: [{ label: 'Open', actionId: SHOW_USE_CASE_ACTION_ID, value: uc.key }],
    })),
    ...(slice.pages > 1
      ? { pagination: { page: slice.page, pages: slice.pages, actionId: PAGE_ACTION_ID, value: { list: 'usecases', page: slice.page, ...(filterText ? { filter: filterText } : {}) } } }
      : {}),
  };
}
