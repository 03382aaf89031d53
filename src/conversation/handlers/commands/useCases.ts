/** show, list, raci, who approves, advance, propose (opens the intake form). */
import { ValidationError } from '../../../domain/errors';
import { requestAdvance } from '../../../domain/usecases/requestAdvance';
import { getUseCase } from '../../../domain/usecases/getUseCase';
import { obligationsFor } from '../../../domain/obligations/obligationsFor';
import { listUseCases } from '../../../domain/usecases/listUseCases';
import type { Person } from '../../../domain/types';
import { loadApprovalView } from '../../approvalView';
import { intakeFormCard } from '../../cards/forms/intakeForm';
import { raciCard } from '../../cards/raci';
import { useCaseCard } from '../../cards/useCase';
import { readinessSections } from '../../cards/evidence';
import { useCaseListCard } from '../../cards/useCaseList';
import { whoApprovesCard } from '../../cards/whoApproves';
import type { ListFilter } from '../../grammar/schema';
import { peopleIndex, useCaseForDisplay, type HandlerDeps } from '../deps';
import type { Reply } from '../types';
import { useCaseReadiness } from './readinessView';

export async function showUseCase(deps: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const { ctx } = deps;
  // Read-only views use the display read (seconds-fresh, shared); anything that acts reads anew.
  const useCase = await useCaseForDisplay(ctx, key);
  const now = ctx.clock.now();
  // The readiness view lists every obligation (missing, met, not yet applicable with its date).
  const card = useCaseCard({ useCase, policy: ctx.policy, people: await peopleIndex(ctx), now, obligations: obligationsFor(useCase, ctx.policy, now), listObligations: false });
  card.sections = [...(card.sections ?? []), ...readinessSections(await useCaseReadiness(deps, useCase))];
  return { cards: [card] };
}

export async function listUseCasesReply({ ctx }: HandlerDeps, actor: Person, filter: ListFilter, page = 1): Promise<Reply> {
  const useCases = await listUseCases(ctx, {
    actorId: actor.id,
    mine: filter.kind === 'mine',
    ...(filter.kind === 'stage' ? { stage: filter.stage } : {}),
    ...(filter.kind === 'tier' ? { tier: filter.tier } : {}),
    ...(filter.kind === 'text' ? { text: filter.text } : {}),
  });
  const sorted = [...useCases].sort((a, b) => a.seq - b.seq);
  return { cards: [useCaseListCard({ useCases: sorted, filter, page, policy: ctx.policy, people: await peopleIndex(ctx) })] };
}

export async function raciReply({ ctx }: HandlerDeps, actor: Person, key: string, area?: string): Promise<Reply> {
  const useCase = await useCaseForDisplay(ctx, key);
  if (area && !useCase.raci.some((r) => r.area === area)) {
    throw new ValidationError('raci.unknown_area', `area: expected one of ${useCase.raci.map((r) => r.area).join(', ')}`);
  }
  return { cards: [raciCard({ useCase, policy: ctx.policy, people: await peopleIndex(ctx), ...(area ? { area } : {}) })] };
}

export async function whoApprovesReply({ ctx }: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const useCase = await getUseCase(ctx, { key });
  return { cards: [whoApprovesCard({ useCase, policy: ctx.policy, people: await ctx.repos.people.list() })] };
}

export async function advanceReply({ ctx }: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const result = await requestAdvance(ctx, { actorId: actor.id, key });
  // Drawn for the requester: no vote buttons, they cannot vote on it anyway.
  const card = (await loadApprovalView(ctx, result.approval))({ viewerId: actor.id });
  card.context = `Requested. ${result.approval.approverIds.length} approver(s) have been notified.`;
  return { cards: [card] };
}

export async function proposeReply({ ctx }: HandlerDeps): Promise<Reply> {
  const models = await ctx.repos.models.list();
  return { cards: [], form: intakeFormCard({ policy: ctx.policy, models }) };
}
