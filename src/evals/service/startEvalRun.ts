/**
 * `eval run <model> <suite>` from chat: checks the request can run, queues it for a worker and
 * answers at once with a "queued" card. The permission check (owner or LLMOps engineer) is the
 * conversation handler's; the result arrives later as an 'eval.passed' / 'eval.failed' message.
 */
import { randomUUID } from 'node:crypto';
import type { Card } from '../../conversation/cards/model';
import type { EvalRunRequest as ChatEvalRunRequest } from '../../conversation/handlers/deps';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { DomainContext } from '../../domain/ports';
import { evalQueuedCard } from './evalCards';
import type { EvalRunRequest } from './evalQueue';
import type { EvalRuntime } from './evalRuntime';

export const queuedClaimKey = (runKey: string): string => `eval-queued:${runKey}`;

/**
 * Queues a request once per runKey (the claim makes a second attempt a no-op). Returns whether
 * this call queued it.
 */
export async function queueEvalRun(ctx: DomainContext, rt: EvalRuntime, req: EvalRunRequest): Promise<boolean> {
  if (!(await ctx.repos.claims.claim(queuedClaimKey(req.runKey), { modelName: req.modelName, suite: req.suite }))) return false;
  try {
    await rt.queue.enqueue(req);
  } catch (err) {
    await ctx.repos.claims.release(queuedClaimKey(req.runKey));
    throw err;
  }
  await ctx.audit({ actorId: req.actorId, action: 'eval.queued', subject: req.modelName, data: { suite: req.suite, runKey: req.runKey } });
  return true;
}

export async function startEvalRun(ctx: DomainContext, rt: EvalRuntime, req: ChatEvalRunRequest): Promise<Card> {
  const model = await ctx.repos.models.get(req.modelName);
  if (!model) throw new NotFoundError('model.not_found', `No model named ${req.modelName} in the registry.`);
  if (!model.baseUrl) throw new ValidationError('eval.no_endpoint', `Model ${model.name} has no baseUrl in the registry, so it cannot be evaluated.`);
  const suite = rt.suites().get(req.suite);
  if (!suite) {
    throw new ValidationError('eval.unknown_suite', `suite: expected one of ${[...rt.suites().keys()].join(', ')}`);
  }
  if (!rt.thresholds()[suite.id]) {
    throw new ValidationError('eval.no_thresholds', `Suite ${suite.id} has no thresholds in playbooks/evals/thresholds.yaml.`);
  }
  const runKey = `chat:${model.name}:${suite.id}:${randomUUID()}`;
  await queueEvalRun(ctx, rt, { modelName: model.name, suite: suite.id, actorId: req.actor.id, runKey });
  return evalQueuedCard({ modelName: model.name, suite: suite.id, cases: suite.cases.length, runKey, endpointModel: model.modelName });
}

/** The HandlerDeps.startEvalRun of the conversation, bound to a context and runtime. */
export const chatEvalStarter =
  (ctx: DomainContext, rt: EvalRuntime) =>
  (req: ChatEvalRunRequest): Promise<Card> =>
    startEvalRun(ctx, rt, req);
