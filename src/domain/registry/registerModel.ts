/**
 * Adds a model to the registry as `proposed`: nobody may use it until someone with an
 * approver role approves it (setModelStatus).
 */
import { z } from 'zod';
import { ForbiddenError, NotFoundError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import { createRecord } from '../records/updateRecord';
import type { RegisteredModel } from '../types';
import { REGISTRY_ROLES, hasAnyRole, loadActor } from './access';
import { apiKeyEnvName, dataClassList, gpaiInfo, httpUrl, modelNameHandle, price } from './schemas';

export const registerModelInput = z
  .object({
    actorId: z.string().min(1),
    name: modelNameHandle,
    displayName: z.string().trim().min(1).max(120).optional(),
    provider: z.string().trim().min(1).max(80),
    version: z.string().trim().min(1).max(80),
    hosting: z.enum(['hosted_api', 'self_hosted']),
    baseUrl: httpUrl.optional(),
    modelName: z.string().trim().min(1).max(200),
    apiKeyEnv: apiKeyEnvName.optional(),
    allowedDataClasses: dataClassList.default([]),
    pricePer1kInput: price.default(0),
    pricePer1kOutput: price.default(0),
    ownerId: z.string().min(1).optional(),
    gpai: gpaiInfo.optional(),
  })
  .refine((v) => v.hosting !== 'self_hosted' || !!v.baseUrl, {
    path: ['baseUrl'],
    message: 'a self-hosted model needs the base URL of its server (e.g. http://127.0.0.1:8000/v1)',
  });
export type RegisterModelInput = z.input<typeof registerModelInput>;

export async function registerModel(ctx: DomainContext, raw: RegisterModelInput): Promise<RegisteredModel> {
  const parsed = registerModelInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('model.invalid', parsed.error.issues);
  const input = parsed.data;

  const actor = await loadActor(ctx, input.actorId);
  if (!hasAnyRole(actor, REGISTRY_ROLES)) {
    throw new ForbiddenError('model.register_forbidden', `Registering a model needs one of the roles ${REGISTRY_ROLES.join(', ')}.`);
  }
  const ownerId = input.ownerId ?? actor.id;
  if (ownerId !== actor.id && !(await ctx.repos.people.findById(ownerId))) {
    throw new NotFoundError('person.not_found', `No registered person with id ${ownerId} to own the model.`);
  }

  const now = ctx.clock.now();
  const allowedDataClasses = [...new Set(input.allowedDataClasses)];
  // One write: version 1 of the model is its `model.registered` audit entry, with its event.
  return createRecord(ctx, () =>
    ctx.repos.models.create(
      {
        name: input.name,
        displayName: input.displayName ?? input.name,
        provider: input.provider,
        version: input.version,
        hosting: input.hosting,
        baseUrl: input.baseUrl,
        modelName: input.modelName,
        apiKeyEnv: input.apiKeyEnv,
        allowedDataClasses,
        pricePer1kInput: input.pricePer1kInput,
        pricePer1kOutput: input.pricePer1kOutput,
        status: 'proposed',
        ownerId,
        ...(input.gpai ? { gpai: input.gpai } : {}),
        createdAt: now,
        updatedAt: now,
      },
      {
        at: now,
        actorId: actor.id,
        action: 'model.registered',
        data: {
          provider: input.provider,
          version: input.version,
          hosting: input.hosting,
          modelName: input.modelName,
          allowedDataClasses,
          ownerId,
          ...(input.gpai ? { gpai: input.gpai } : {}),
        },
        events: [{ type: 'model.status_changed', at: now, actorId: actor.id, modelName: input.name, status: 'proposed' }],
      },
    ),
  );
}
