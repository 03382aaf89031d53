/** Who hears about what, read from a use case's RACI (named people, not roles). */
import type { UseCase } from '../types';

/** The RACI area that owns reviews and compliance follow-up. */
export const REVIEW_RACI_AREA = 'safety_compliance';
/** The role that files Art. 73 reports and hears about serious incidents. */
export const LEGAL_ROLE = 'ai_governance_legal';

const unique = (ids: string[]): string[] => [...new Set(ids.filter(Boolean))];

/** The review area's Responsible people, else the owner. */
export function reviewResponsibleIds(uc: UseCase): string[] {
  const area = uc.raci.find((a) => a.area === REVIEW_RACI_AREA);
  const ids = unique(area?.responsible ?? []);
  return ids.length ? ids : [uc.ownerId];
}

/** The review area's Accountable, else every Accountable of the use case, else the owner. */
export function reviewAccountableIds(uc: UseCase): string[] {
  const area = uc.raci.find((a) => a.area === REVIEW_RACI_AREA);
  const ids = unique(area?.accountable ?? []);
  if (ids.length) return ids;
  const all = accountableIds(uc);
  return all.length ? all : [uc.ownerId];
}

/** Every Accountable across the use case's areas. */
export const accountableIds = (uc: UseCase): string[] => unique(uc.raci.flatMap((a) => a.accountable));

/** Every Informed across the use case's areas. */
export const informedIds = (uc: UseCase): string[] => unique(uc.raci.flatMap((a) => a.informed));

export { unique };
