/**
 * A use case built on a general-purpose AI model must record where the model provider's
 * information for downstream providers is (Art. 53(1)(b), Annex XII): the intake question with
 * signal `gpai_info`. Checked before the system reaches real users (the pilot and production gates).
 */
import { ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { RegisteredModel, UseCase } from '../types';

/** Stages a use case may not enter on a GPAI model without the downstream information. */
export const GPAI_INFO_STAGES: readonly string[] = ['pilot', 'production'];

/** The GPAI models among the use case's models when it has not recorded the downstream information. */
export function gpaiInfoMissing(ctx: Pick<DomainContext, 'policy'>, uc: Pick<UseCase, 'answers'>, models: readonly RegisteredModel[]): RegisteredModel[] {
  const gpai = models.filter((m) => m.gpai);
  if (!gpai.length) return [];
  const question = ctx.policy.risk.questions.find((q) => q.signal === 'gpai_info');
  const answer = question ? uc.answers[question.id] : undefined;
  return typeof answer === 'string' && answer.trim() ? [] : gpai;
}

export async function requireGpaiInfo(ctx: DomainContext, uc: UseCase, toStage: string): Promise<void> {
  if (!GPAI_INFO_STAGES.includes(toStage)) return;
  const models = (await Promise.all(uc.models.map((n) => ctx.repos.models.get(n)))).filter((m): m is RegisteredModel => !!m);
  const missing = gpaiInfoMissing(ctx, uc, models);
  if (!missing.length) return;
  const names = missing.map((m) => `${m.name} (GPAI model of ${m.gpai!.provider}${m.gpai!.art53DocsUrl ? `; its registry entry links ${m.gpai!.art53DocsUrl}` : ''})`).join(', ');
  throw new ForbiddenError(
    'usecase.gpai_info_required',
    `${uc.key} is built on ${names}: record where the provider's information for downstream providers is (Art. 53(1)(b)) before it reaches users. Answer the question with: update ${uc.key}`,
  );
}
