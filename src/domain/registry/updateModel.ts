/**
 * Changes a model's details. Widening the data classes it may process is an approval
 * decision in disguise, so it needs an approver role; narrowing never does.
 */
import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { RegisteredModel } from '../types';
import { updateRecord } from '../records/updateRecord';
import { MODEL_APPROVER_ROLES, hasAnyRole, loadActor, mayMaintain } from './access';
import { apiKeyEnvName, dataClassList, gpaiInfo, httpUrl, price } from './schemas';

export const updateModelInput = z.object({
  actorId: z.string().min(1),
  name: z.string().trim().min(1),
  changes: z
    .object({
      displayName: z.string().trim().min(1).max(120),
      provider: z.string().trim().min(1).max(80),
      version: z.string().trim().min(1).max(80),
      baseUrl: httpUrl,
      modelName: z.string().trim().min(1).max(200),
      apiKeyEnv: apiKeyEnvName,
      allowedDataClasses: dataClassList,
      pricePer1kInput: price,
      pricePer1kOutput: price,
      ownerId: z.string().min(1),
      /** null: the model is not a GPAI model (its fields are removed). */
      gpai: gpaiInfo.nullable(),
    })
    .partial()
    .strict(),
});
export type UpdateModelInput = z.input<typeof updateModelInput>;

export async function updateModel(ctx: DomainContext, raw: UpdateModelInput): Promise<RegisteredModel> {
  const parsed = updateModelInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('model.invalid', parsed.error.issues);
  const { actorId, name, changes } = parsed.data;
  const fields = Object.keys(changes) as (keyof typeof changes)[];
  if (!fields.length) throw new ValidationError('model.no_changes', 'changes: nothing to change.');

  const actor = await loadActor(ctx, actorId);
  // Decided on the version written on: who may maintain it and what "widening" means depend on
  // its owner and data classes as they are now, not as they were read a moment ago.
  const { record } = await updateRecord(
    ctx,
    ctx.repos.models,
    name,
    async (model) => {
      if (!mayMaintain(actor, model)) {
        throw new ForbiddenError('model.update_forbidden', `Only the model's owner or an engineering role may change ${model.name}.`);
      }
      const added = (changes.allowedDataClasses ?? []).filter((c) => !model.allowedDataClasses.includes(c));
      if (added.length && !hasAnyRole(actor, MODEL_APPROVER_ROLES)) {
        throw new ForbiddenError(
          'model.widen_forbidden',
          `Allowing ${model.name} to process ${added.join(', ')} data is an approval decision: it needs one of ${MODEL_APPROVER_ROLES.join(', ')}.`,
        );
      }
      // Not a GPAI model any more lifts the Art. 53(1)(b) check on every use case built on it.
      if (changes.gpai === null && model.gpai && !hasAnyRole(actor, MODEL_APPROVER_ROLES)) {
        throw new ForbiddenError('model.gpai_clear_forbidden', `Recording that ${model.name} is not a general-purpose AI model is an approval decision: it needs one of ${MODEL_APPROVER_ROLES.join(', ')}.`);
      }
      if (changes.ownerId && !(await ctx.repos.people.findById(changes.ownerId))) {
        throw new NotFoundError('person.not_found', `No registered person with id ${changes.ownerId} to own the model.`);
      }
      const now = ctx.clock.now();
      const { gpai, ...plain } = changes;
      const { gpai: _previous, ...withoutGpai } = model;
      const next: RegisteredModel = {
        ...withoutGpai,
        ...plain,
        ...(gpai === null ? {} : gpai ? { gpai } : model.gpai ? { gpai: model.gpai } : {}),
        allowedDataClasses: changes.allowedDataClasses ? [...new Set(changes.allowedDataClasses)] : model.allowedDataClasses,
        updatedAt: now,
      };
      const diff = Object.fromEntries(fields.map((f) => [f, { from: model[f] ?? null, to: next[f] ?? null }]));
      return {
        record: next,
        change: {
          at: now,
          actorId: actor.id,
          action: 'model.updated',
          data: { changes: diff },
          events: [{ type: 'model.updated', at: now, actorId: actor.id, modelName: model.name }],
        },
      };
    },
    () => new NotFoundError('model.not_found', `No model named ${name} in the registry.`),
  );
  return record;
}
