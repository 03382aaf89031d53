import { z } from 'zod';
import { validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import { DATA_CLASSES, MODEL_STATUSES, type RegisteredModel } from '../types';

export const listModelsInput = z
  .object({
    status: z.enum(MODEL_STATUSES).optional(),
    /** Only models allowed to process this data class. */
    dataClass: z.enum(DATA_CLASSES).optional(),
  })
  .default({});
export type ListModelsInput = z.input<typeof listModelsInput>;

export async function listModels(ctx: DomainContext, raw: ListModelsInput = {}): Promise<RegisteredModel[]> {
  const parsed = listModelsInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('model.invalid', parsed.error.issues);
  const { status, dataClass } = parsed.data;
  const all = await ctx.repos.models.list();
  return all.filter((m) => (!status || m.status === status) && (!dataClass || m.allowedDataClasses.includes(dataClass)));
}
