import { z } from 'zod';
import { NotFoundError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { RegisteredModel } from '../types';

export const getModelInput = z.object({ name: z.string().trim().min(1) });
export type GetModelInput = z.input<typeof getModelInput>;

/** Case-insensitive: "GPT-4o" finds gpt-4o. */
export async function getModel(ctx: DomainContext, raw: GetModelInput): Promise<RegisteredModel> {
  const parsed = getModelInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('model.invalid', parsed.error.issues);
  const model = await ctx.repos.models.get(parsed.data.name);
  if (!model) throw new NotFoundError('model.not_found', `No model named ${parsed.data.name} in the registry.`);
  return model;
}
