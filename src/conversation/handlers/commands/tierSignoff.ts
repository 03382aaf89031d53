/** `tier UC-n confirm|reject …`: AI Governance & Legal decide a lower tier waiting on a use case. */
import { obligationsFor } from '../../../domain/obligations/obligationsFor';
import type { Person, UseCase } from '../../../domain/types';
import { confirmTier } from '../../../domain/usecases/confirmTier';
import { rejectTier } from '../../../domain/usecases/rejectTier';
import { tierLabel } from '../../cards/format';
import { useCaseCard } from '../../cards/useCase';
import type { CommandOf } from '../../grammar/schema';
import { peopleIndex, type HandlerDeps } from '../deps';
import type { Reply } from '../types';

async function cardWith({ ctx }: HandlerDeps, useCase: UseCase, context: string): Promise<Reply> {
  const now = ctx.clock.now();
  const card = useCaseCard({ useCase, policy: ctx.policy, people: await peopleIndex(ctx), now, obligations: obligationsFor(useCase, ctx.policy, now) });
  card.context = context;
  return { cards: [card] };
}

export async function tierConfirmReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'tier_confirm'>): Promise<Reply> {
  const assessment = cmd.assessmentUrl && cmd.assessmentSummary ? { url: cmd.assessmentUrl, summary: cmd.assessmentSummary } : undefined;
  const useCase = await confirmTier(deps.ctx, { actorId: actor.id, key: cmd.useCaseKey, ...(assessment ? { assessment } : {}) });
  return cardWith(deps, useCase, `Signed off: ${useCase.key} is now ${tierLabel(useCase.tier)}${assessment ? '; the Art. 6(4) assessment is recorded' : ''}.`);
}

export async function tierRejectReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'tier_reject'>): Promise<Reply> {
  const useCase = await rejectTier(deps.ctx, { actorId: actor.id, key: cmd.useCaseKey, reason: cmd.reason });
  return cardWith(deps, useCase, `Refused: ${useCase.key} stays ${tierLabel(useCase.tier)}.`);
}
