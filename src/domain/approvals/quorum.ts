import type { ApproverRule, Policy } from '../policy';
import type { Approval, Person, RiskTier, RoleId } from '../types';

/** What quorumMet reads: the approval's snapshot, plus the roles that must be among the approvers. */
export type QuorumInput = Pick<Approval, 'requiredRoles' | 'quorum' | 'votes'> & { mustInclude?: RoleId[] };

/**
 * Whether the approving votes meet the quorum. When every required role must approve
 * (quorum = number of roles) each role needs its own approver: a person holding two roles
 * covers only one, found by bipartite matching. With a smaller quorum, N distinct approvers
 * holding any required role suffice, and each `mustInclude` role additionally needs its own
 * approving person (matched the same way), so "2 of 3" cannot pass without, say, legal. Pure.
 */
export function quorumMet(approval: QuorumInput, voters: Map<string, Person>): boolean {
  const approvers = [...new Set(approval.votes.filter((v) => v.decision === 'approve').map((v) => v.personId))];
  const rolesOf = (id: string): string[] => {
    const held = voters.get(id)?.roles ?? [];
    const fromVote = approval.votes.find((v) => v.personId === id)?.role;
    return [...new Set([...held, ...(fromVote ? [fromVote] : [])])].filter((r) => approval.requiredRoles.includes(r));
  };
  const must = [...new Set(approval.mustInclude ?? [])].filter((r) => approval.requiredRoles.includes(r));
  if (must.length && maxMatching(must, approvers, rolesOf) < must.length) return false;
  if (approval.quorum < approval.requiredRoles.length) {
    return approvers.filter((id) => rolesOf(id).length > 0).length >= approval.quorum;
  }
  return maxMatching(approval.requiredRoles, approvers, rolesOf) >= approval.requiredRoles.length;
}

/**
 * The must-include roles of an approval under the policy: the gate's rule for the tier,
 * limited to the roles the approval was opened with (the rule may have been edited since).
 */
export function mustIncludeFor(policy: Policy, approval: Pick<Approval, 'gateId' | 'requiredRoles'>, tier: RiskTier): RoleId[] {
  const gate = policy.lifecycle.gates.find((g) => g.id === approval.gateId);
  const rule: ApproverRule | undefined = gate?.approvers[tier];
  return (rule?.mustInclude ?? []).filter((r) => approval.requiredRoles.includes(r));
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
