import type { Approval, Person } from '../types';

/**
 * Whether the approving votes meet the quorum. When every required role must approve
 * (quorum = number of roles) each role needs its own approver: a person holding two roles
 * covers only one, found by bipartite matching. With a smaller quorum, N distinct approvers
 * holding any required role suffice. Pure.
 */
export function quorumMet(approval: Pick<Approval, 'requiredRoles' | 'quorum' | 'votes'>, voters: Map<string, Person>): boolean {
  const approvers = [...new Set(approval.votes.filter((v) => v.decision === 'approve').map((v) => v.personId))];
  const rolesOf = (id: string): string[] => {
    const held = voters.get(id)?.roles ?? [];
    const fromVote = approval.votes.find((v) => v.personId === id)?.role;
    return [...new Set([...held, ...(fromVote ? [fromVote] : [])])].filter((r) => approval.requiredRoles.includes(r));
  };
  if (approval.quorum < approval.requiredRoles.length) {
    return approvers.filter((id) => rolesOf(id).length > 0).length >= approval.quorum;
  }
  return maxMatching(approval.requiredRoles, approvers, rolesOf) >= approval.requiredRoles.length;
}

/** Kuhn's augmenting paths: a handful of roles and voters, so the simple algorithm is plenty. */
function maxMatching(roles: string[], people: string[], rolesOf: (id: string) => string[]): number {
  const roleTaker = new Map<string, string>();
  const tryAssign = (person: string, seen: Set<string>): boolean => {
    for (const role of rolesOf(person)) {
      if (!roles.includes(role) || seen.has(role)) continue;
      seen.add(role);
      const holder = roleTaker.get(role);
      if (!holder || tryAssign(holder, seen)) {
        roleTaker.set(role, person);
        return true;
      }
    }
    return false;
  };
  let matched = 0;
  for (const p of people) if (tryAssign(p, new Set())) matched++;
  return matched;
}
