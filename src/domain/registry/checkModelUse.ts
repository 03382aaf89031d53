/**
 * "May use case X send data of class D to model M?" The answer is a decision with a reason a
 * person can act on, never an exception: refusals are expected answers here.
 *
 * Status rules:
 * - approved: any data class the model is approved for.
 * - restricted: only `public` and `internal` data (still within its approved classes). A
 *   restricted model is one under a cloud (a failed evaluation, a vendor issue): it keeps
 *   serving low-risk work while nothing confidential or personal goes near it.
 * - proposed, deprecated, banned: never.
 */
import { z } from 'zod';
import { NotFoundError, validationFromIssues } from '../errors';
import type { DataClassCheck, DomainContext } from '../ports';
import { DATA_CLASSES, type DataClass } from '../types';

export const RESTRICTED_MODEL_DATA_CLASSES: readonly DataClass[] = ['public', 'internal'];

export const checkModelUseInput = z.object({
  useCaseKey: z.string().trim().min(1),
  modelName: z.string().trim().min(1),
  dataClass: z.enum(DATA_CLASSES),
});
export type CheckModelUseInput = z.input<typeof checkModelUseInput>;

export async function checkModelUse(ctx: DomainContext, raw: CheckModelUseInput): Promise<DataClassCheck> {
  const parsed = checkModelUseInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('model.invalid', parsed.error.issues);
  const { dataClass } = parsed.data;

  const useCase = await ctx.repos.useCases.get(parsed.data.useCaseKey);
  if (!useCase) throw new NotFoundError('usecase.not_found', `No use case ${parsed.data.useCaseKey}.`);
  const model = await ctx.repos.models.get(parsed.data.modelName);
  if (!model) throw new NotFoundError('model.not_found', `No model named ${parsed.data.modelName} in the registry.`);

  const uc = useCase.key;
  const m = model.name;
  const refuse = (why: string): DataClassCheck => ({ allowed: false, reason: `${uc} may not use ${m} with ${dataClass} data: ${why}.` });

  if (useCase.tier === 'prohibited') return refuse(`${uc} is classified as a prohibited practice (EU AI Act Art. 5)`);
  if (useCase.stage === 'suspended' || useCase.stage === 'retired') return refuse(`${uc} is ${useCase.stage}`);

  switch (model.status) {
    case 'banned':
    case 'deprecated':
      return refuse(`the model is ${model.status}${model.statusReason ? ` (${model.statusReason})` : ''}`);
    case 'proposed':
      return refuse('the model is only proposed and has not been approved for use yet');
    default:
      break;
  }
  if (!model.allowedDataClasses.includes(dataClass)) {
    const allowed = model.allowedDataClasses.length ? model.allowedDataClasses.join(', ') : 'no data classes';
    return refuse(`the model is approved only for ${allowed}`);
  }
  if (model.status === 'restricted' && !RESTRICTED_MODEL_DATA_CLASSES.includes(dataClass)) {
    return refuse(`the model is restricted${model.statusReason ? ` (${model.statusReason})` : ''}, and restricted models may only process public or internal data`);
  }
  const note = useCase.dataClasses.includes(dataClass) ? '' : ` (note: ${dataClass} is not among the data classes declared for ${uc})`;
  return {
    allowed: true,
    reason: `${uc} may use ${m} with ${dataClass} data: the model is ${model.status} for ${dataClass} data${note}.`,
  };
}
