/** models, model <name>, model <name> gpai …, can UC-n use <model> with <class>, eval run. */
import { ForbiddenError } from '../../../domain/errors';
import { checkModelUse } from '../../../domain/registry/checkModelUse';
import { getModel } from '../../../domain/registry/getModel';
import { endpointProblem } from '../../../evals/endpoint';
import { listModels } from '../../../domain/registry/listModels';
import { updateModel } from '../../../domain/registry/updateModel';
import type { CommandOf } from '../../grammar/schema';
import type { DataClass, Person } from '../../../domain/types';
import { canUseCard, modelCard, modelListCard } from '../../cards/models';
import { peopleIndex, type HandlerDeps } from '../deps';
import type { Reply } from '../types';

export async function listModelsReply({ ctx }: HandlerDeps, page = 1): Promise<Reply> {
  const models = await listModels(ctx, {});
  return { cards: [modelListCard({ models, page, policy: ctx.policy })] };
}

export async function showModel({ ctx }: HandlerDeps, name: string): Promise<Reply> {
  const model = await getModel(ctx, { name });
  const problem = endpointProblem(model);
  return { cards: [modelCard({ model, policy: ctx.policy, people: await peopleIndex(ctx), ...(problem ? { endpointProblem: problem } : {}) })] };
}

/** Records the model's general-purpose AI fields (Arts. 51-53) as the next version of its record; the card shows them. */
export async function modelGpaiReply({ ctx }: HandlerDeps, actor: Person, cmd: CommandOf<'model_gpai'>): Promise<Reply> {
  const gpai = { provider: cmd.provider, systemicRisk: cmd.systemicRisk, ...(cmd.art53DocsUrl ? { art53DocsUrl: cmd.art53DocsUrl } : {}) };
  const model = await updateModel(ctx, { actorId: actor.id, name: cmd.modelName, changes: { gpai } });
  const card = modelCard({ model, policy: ctx.policy, people: await peopleIndex(ctx) });
  card.context = `Recorded: ${model.name} is a general-purpose AI model of ${gpai.provider}${gpai.systemicRisk ? ', with systemic risk (Art. 51)' : ''}.`;
  return { cards: [card] };
}

/** Clears the model's GPAI fields (an approver's decision, see updateModel); the card no longer shows them. */
export async function modelGpaiClearReply({ ctx }: HandlerDeps, actor: Person, modelName: string): Promise<Reply> {
  const model = await updateModel(ctx, { actorId: actor.id, name: modelName, changes: { gpai: null } });
  const card = modelCard({ model, policy: ctx.policy, people: await peopleIndex(ctx) });
  card.context = `Recorded: ${model.name} is not treated as a general-purpose AI model.`;
  return { cards: [card] };
}

export async function canUseReply({ ctx }: HandlerDeps, useCaseKey: string, modelName: string, dataClass: DataClass): Promise<Reply> {
  const check = await checkModelUse(ctx, { useCaseKey, modelName, dataClass });
  const model = await ctx.repos.models.get(modelName);
  return { cards: [canUseCard({ useCaseKey: useCaseKey.toUpperCase(), modelName: model?.name ?? modelName, dataClass, check, policy: ctx.policy })] };
}

/** Only the model's owner or an LLMOps engineer may spend an endpoint's capacity on a run. */
export async function evalRunReply(deps: HandlerDeps, actor: Person, modelName: string, suite: string): Promise<Reply> {
  const model = await getModel(deps.ctx, { name: modelName });
  if (model.ownerId !== actor.id && !actor.roles.includes('llmops_engineer')) {
    throw new ForbiddenError('eval.forbidden', `Only the owner of ${model.name} or an LLMOps engineer can start an evaluation run.`);
  }
  if (!deps.startEvalRun) {
    throw new ForbiddenError('eval.unavailable', 'Evaluation runs are not enabled on this Steward instance.');
  }
  return { cards: [await deps.startEvalRun({ actor, modelName: model.name, suite })] };
}
