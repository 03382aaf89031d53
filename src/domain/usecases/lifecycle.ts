/**
 * Stage bookkeeping shared by the operations that move a use case: every change appends to
 * stageHistory and resets stageEnteredAt, so "how long in this stage" and the audit agree.
 */
import { NotFoundError } from '../errors';
import type { GateDef, Policy } from '../policy';
import type { DomainContext } from '../ports';
import { LIFECYCLE_STAGES, type Stage, type StageChange, type UseCase } from '../types';

export function moveStage(useCase: UseCase, to: Stage, change: Omit<StageChange, 'from' | 'to'>): UseCase {
  const entry: StageChange = { from: useCase.stage, to, ...change };
  return {
    ...useCase,
    stage: to,
    stageEnteredAt: change.at,
    stageHistory: [...useCase.stageHistory, entry],
    updatedAt: change.at,
  };
}

/** The gate out of a lifecycle stage: the policy's gate from it, else none (last stage, suspended, retired). */
export function gateFrom(policy: Policy, stage: Stage): GateDef | undefined {
  const gate = policy.lifecycle.gates.find((g) => g.from === stage);
  if (gate) return gate;
  const i = (LIFECYCLE_STAGES as readonly string[]).indexOf(stage);
  const next = i >= 0 ? LIFECYCLE_STAGES[i + 1] : undefined;
  return next ? policy.lifecycle.gates.find((g) => g.to === next) : undefined;
}

export async function loadUseCase(ctx: DomainContext, key: string): Promise<UseCase> {
  const uc = await ctx.repos.useCases.get(key);
  if (!uc) throw useCaseNotFound(key)();
  return uc;
}

/** The refusal for a use case key that names nothing (for updateRecord's notFound). */
export const useCaseNotFound = (key: string) => (): NotFoundError => new NotFoundError('usecase.not_found', `${key.trim().toUpperCase()} does not exist.`);

/** Person ids Accountable for an area of the use case. */
export const accountableFor = (uc: UseCase, area: string): string[] => uc.raci.find((r) => r.area === area)?.accountable ?? [];

/** Everyone named anywhere in the RACI. */
export const raciPeople = (uc: UseCase, parts: ('responsible' | 'accountable' | 'consulted' | 'informed')[]): string[] => [
  ...new Set(uc.raci.flatMap((r) => parts.flatMap((p) => r[p]))),
];

export const SAFETY_AREA = 'safety_compliance';
