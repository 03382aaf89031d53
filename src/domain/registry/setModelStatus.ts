/**
 * Approves a model or takes it out of use. Approval is a security/legal/CoE decision;
 * restricting, deprecating or banning may also be done by whoever maintains the model,
 * because taking something out of use should never wait for a committee.
 */
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { RegisteredModel } from '../types';
import { updateRecord } from '../records/updateRecord';
import { MODEL_APPROVER_ROLES, hasAnyRole, loadActor, mayMaintain } from './access';

export const setModelStatusInput = z.object({
  actorId: z.string().min(1),
  name: z.string().trim().min(1),
  status: z.enum(['approved', 'restricted', 'deprecated', 'banned']),
  reason: z.string().trim().min(3, 'give a short reason (at least 3 characters)').max(1000),
});
export type SetModelStatusInput = z.input<typeof setModelStatusInput>;

export async function setModelStatus(ctx: DomainContext, raw: SetModelStatusInput): Promise<RegisteredModel> {
  const parsed = setModelStatusInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('model.invalid', parsed.error.issues);
  const input = parsed.data;

  const actor = await loadActor(ctx, input.actorId);
  // Decided on the version written on: a concurrent change of owner or status is seen first.
  const { record } = await updateRecord(
    ctx,
    ctx.repos.models,
    input.name,
    (model) => {
      if (input.status === 'approved') {
        if (!hasAnyRole(actor, MODEL_APPROVER_ROLES)) {
          throw new ForbiddenError('model.approve_forbidden', `Approving a model needs one of the roles ${MODEL_APPROVER_ROLES.join(', ')}.`);
        }
      } else if (!mayMaintain(actor, model)) {
        throw new ForbiddenError('model.status_forbidden', `Only the model's owner, an engineering role or an approver may ${verb(input.status)} ${model.name}.`);
      }
      if (model.status === input.status) {
        throw new ConflictError('model.status_unchanged', `${model.name} is already ${model.status}.`);
      }
      const now = ctx.clock.now();
      return {
        record: { ...model, status: input.status, statusReason: input.reason, updatedAt: now },
        change: {
          at: now,
          actorId: actor.id,
          action: 'model.status_changed',
          data: { from: model.status, to: input.status, reason: input.reason },
          events: [{ type: 'model.status_changed', at: now, actorId: actor.id, modelName: model.name, status: input.status }],
        },
      };
    },
    () => new NotFoundError('model.not_found', `No model named ${input.name} in the registry.`),
  );
  return record;
}

const verb = (s: string) => ({ restricted: 'restrict', deprecated: 'deprecate', banned: 'ban' })[s] ?? s;
