import { z } from 'zod';
import type { DomainContext } from '../ports';
import type { Person, RoleId, Stage } from '../types';
import { parseInput } from '../people/actor';
import { useCaseKey } from '../usecases/getUseCase';
import { gateFrom, loadUseCase } from '../usecases/lifecycle';

export const whoApprovesInput = z.object({ useCaseKey });
export type WhoApprovesInput = z.input<typeof whoApprovesInput>;

export interface WhoApproves {
  useCaseKey: string;
  /** Null when no gate is ahead (last stage, suspended, retired, prohibited). */
  gate: { id: string; name: string; from: Stage; to: Stage; exitCriteria: string[] } | null;
  roles: RoleId[];
  quorum: number;
  eligible: Person[];
  pendingApprovalKey?: string;
  note?: string;
}

/** Who signs off the next gate of a use case, for its tier; the requester of a pending request is left out. */
export async function whoApproves(ctx: DomainContext, raw: WhoApprovesInput): Promise<WhoApproves> {
  const input = parseInput(whoApprovesInput, raw, 'raci.invalid');
  const uc = await loadUseCase(ctx, input.useCaseKey);
  const none = (note: string): WhoApproves => ({ useCaseKey: uc.key, gate: null, roles: [], quorum: 0, eligible: [], note });
  if (uc.tier === 'prohibited') return none(`${uc.key} is prohibited and cannot advance.`);
  if (uc.stage === 'suspended' || uc.stage === 'retired') return none(`${uc.key} is ${uc.stage}.`);
  const gate = gateFrom(ctx.policy, uc.stage);
  if (!gate) return none(`${uc.key} is in its last stage.`);
  const [pending] = await ctx.repos.approvals.list({ status: 'pending', useCaseKey: uc.key });
  const rule = gate.approvers[uc.tier];
  const roles = pending?.requiredRoles ?? [...new Set(rule?.roles ?? [])];
  const quorum = pending?.quorum ?? Math.min(rule?.quorum ?? roles.length, roles.length);
  const eligible = new Map<string, Person>();
  for (const role of roles) {
    for (const p of await ctx.repos.people.findByRole(role)) if (p.id !== pending?.requesterId) eligible.set(p.id, p);
  }
  return {
    useCaseKey: uc.key,
    gate: { id: gate.id, name: gate.name, from: gate.from, to: gate.to, exitCriteria: gate.exitCriteria },
    roles,
    quorum,
    eligible: [...eligible.values()],
    ...(pending ? { pendingApprovalKey: pending.key } : {}),
  };
}
