import type { RaciAreaDef } from '../policy';
import type { Person, RaciAssignment, RoleId } from '../types';

/**
 * Staffs each RACI area of a new use case with named people: one person per role, preferring
 * the owner and then the proposer when they hold it (so the product manager who owns the use
 * case is its Accountable), else the earliest registered holder. A role nobody holds leaves a
 * gap, and an area without an Accountable gets an empty list that getRaci warns about.
 */
export function defaultRaci(areas: RaciAreaDef[], people: Person[], prefer: { ownerId: string; proposerId: string }): RaciAssignment[] {
  const pick = (role: RoleId): string | undefined => {
    const holders = people.filter((p) => p.roles.includes(role));
    return (
      holders.find((p) => p.id === prefer.ownerId)?.id ??
      holders.find((p) => p.id === prefer.proposerId)?.id ??
      holders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0]?.id
    );
  };
  const staff = (roles: RoleId[]): string[] => [...new Set(roles.map(pick).filter((id): id is string => !!id))];
  return areas.map((a) => ({
    area: a.id,
    responsible: staff(a.responsible),
    accountable: staff([a.accountable]),
    consulted: staff(a.consulted),
    informed: staff(a.informed),
  }));
}

/**
 * What is wrong with one area's staffing: the exactly-one-Accountable rule, and nobody
 * Responsible. The fix is quoted as the chat command that makes it.
 */
export function raciWarnings(a: RaciAssignment, useCaseKey = 'UC-n'): string[] {
  const w: string[] = [];
  if (a.accountable.length === 0) w.push(`${a.area}: nobody is Accountable; assign one person with \`raci ${useCaseKey} ${a.area} accountable <email|name>\``);
  if (a.accountable.length > 1) w.push(`${a.area}: ${a.accountable.length} people are Accountable; exactly one should be`);
  if (a.responsible.length === 0) w.push(`${a.area}: nobody is Responsible`);
  return w;
}
