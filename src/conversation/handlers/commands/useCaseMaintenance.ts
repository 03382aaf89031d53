/**
 * suspend, resume, retire, evidence, raci (change), update: keeping a use case true after it
 * was proposed. Each handler makes one domain call; the domain decides who may.
 */
import { ValidationError } from '../../../domain/errors';
import type { DomainContext } from '../../../domain/ports';
import { obligationsFor } from '../../../domain/obligations/obligationsFor';
import { reassignRaci } from '../../../domain/raci/reassignRaci';
import type { Person, UseCase } from '../../../domain/types';
import { attachEvidence } from '../../../domain/usecases/attachEvidence';
import { getUseCase } from '../../../domain/usecases/getUseCase';
import { resumeUseCase } from '../../../domain/usecases/resumeUseCase';
import { retireUseCase } from '../../../domain/usecases/retireUseCase';
import { suspendUseCase } from '../../../domain/usecases/suspendUseCase';
import { updateUseCase, type UpdateUseCaseInput } from '../../../domain/usecases/updateUseCase';
import { areaName, namesOf, stageName, tierLabel } from '../../cards/format';
import { evidenceFormCard, offeredModels, updateFormCard } from '../../cards/forms/useCaseForms';
import type { EvidenceSubmission, UpdateSubmission } from '../../cards/forms/useCaseFormSubmission';
import { raciCard } from '../../cards/raci';
import { useCaseCard } from '../../cards/useCase';
import type { CommandOf } from '../../grammar/schema';
import { peopleIndex, type HandlerDeps } from '../deps';
import type { Reply } from '../types';
import { findPerson } from './people';

async function cardReply(ctx: DomainContext, useCase: UseCase, context: string, subtitle?: string): Promise<Reply> {
  const now = ctx.clock.now();
  const card = useCaseCard({ useCase, policy: ctx.policy, people: await peopleIndex(ctx), now, obligations: obligationsFor(useCase, ctx.policy, now) });
  card.context = context;
  if (subtitle) card.subtitle = subtitle;
  return { cards: [card] };
}

export async function suspendReply({ ctx }: HandlerDeps, actor: Person, key: string, reason: string): Promise<Reply> {
  const uc = await suspendUseCase(ctx, { actorId: actor.id, key, reason });
  return cardReply(ctx, uc, `Suspended from ${stageName(ctx.policy, uc.suspendedFrom ?? 'ideation')}: ${reason}. Resume with: resume ${uc.key}`);
}

/** The kill switch is lifted with a reason; from a button or without one, the reason says who did it where. */
export async function resumeReply({ ctx }: HandlerDeps, actor: Person, key: string, reason?: string): Promise<Reply> {
  const uc = await resumeUseCase(ctx, { actorId: actor.id, key, reason: reason ?? `Resumed from chat by ${actor.name}` });
  return cardReply(ctx, uc, `Resumed: back in ${stageName(ctx.policy, uc.stage)}.`);
}

export async function retireReply({ ctx }: HandlerDeps, actor: Person, key: string, reason: string): Promise<Reply> {
  const uc = await retireUseCase(ctx, { actorId: actor.id, key, reason });
  return cardReply(ctx, uc, `Retired: ${reason}. Its record and history stay in the register.`);
}

const controlList = (ctx: DomainContext, uc: UseCase): string =>
  uc.requiredControls.map((id) => `${id} (${ctx.policy.controls.find((c) => c.id === id)?.title ?? id})`).join(', ');

/** Control ids are matched without regard to case; an id the use case does not owe is refused with those it does. */
export async function evidenceReply({ ctx }: HandlerDeps, actor: Person, input: EvidenceSubmission): Promise<Reply> {
  const before = await getUseCase(ctx, { key: input.useCaseKey });
  const controlId = before.requiredControls.find((id) => id.toLowerCase() === input.controlId.toLowerCase());
  if (!controlId) {
    const known = before.requiredControls.length
      ? `Its required controls: ${controlList(ctx, before)}.`
      : `It has no required controls at its tier (${tierLabel(before.tier)}).`;
    throw new ValidationError('usecase.control_not_required', `${input.controlId} is not a required control of ${before.key}. ${known}`);
  }
  const uc = await attachEvidence(ctx, { actorId: actor.id, key: before.key, controlId, url: input.url, ...(input.note ? { note: input.note } : {}) });
  const done = uc.requiredControls.filter((id) => uc.evidence.some((e) => e.controlId === id)).length;
  return cardReply(ctx, uc, `Evidence attached to ${controlId}. ${done} of ${uc.requiredControls.length} required controls now have evidence.`);
}

export async function evidenceFormReply({ ctx }: HandlerDeps, key: string): Promise<Reply> {
  const useCase = await getUseCase(ctx, { key });
  if (!useCase.requiredControls.length) {
    throw new ValidationError('usecase.no_controls', `${useCase.key} has no required controls at its tier (${tierLabel(useCase.tier)}).`);
  }
  return { cards: [], form: evidenceFormCard({ useCase, policy: ctx.policy }) };
}

/** Slack sends "@ada" as typed when it does not escape mentions: the name is what follows. */
const personText = (text: string): string => text.replace(/^@(?=[^<])/, '');

export async function raciAssignReply({ ctx }: HandlerDeps, actor: Person, cmd: CommandOf<'raci_assign'>): Promise<Reply> {
  const people: Person[] = [];
  for (const typed of cmd.people) people.push(await findPerson(ctx, personText(typed)));
  const before = await getUseCase(ctx, { key: cmd.useCaseKey });
  const uc = await reassignRaci(ctx, { actorId: actor.id, useCaseKey: cmd.useCaseKey, area: cmd.area, part: cmd.part, personIds: people.map((p) => p.id) });
  const index = await peopleIndex(ctx);
  const was = before.raci.find((r) => r.area === cmd.area)?.[cmd.part] ?? [];
  const card = raciCard({ useCase: uc, policy: ctx.policy, people: index, area: cmd.area });
  const part = `${cmd.part[0]!.toUpperCase()}${cmd.part.slice(1)}`;
  card.context = `${part} for ${areaName(ctx.policy, cmd.area)}: ${namesOf(index, people.map((p) => p.id))} (was ${namesOf(index, was)}). Recorded in the audit trail.`;
  return { cards: [card] };
}

export async function updateFormReply({ ctx }: HandlerDeps, key: string): Promise<Reply> {
  const useCase = await getUseCase(ctx, { key });
  return { cards: [], form: updateFormCard({ useCase, policy: ctx.policy, models: await ctx.repos.models.list() }) };
}

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => JSON.stringify([...a].map(String).sort()) === JSON.stringify([...b].map(String).sort());
/** An unticked box or an empty choice is what an unanswered optional question looks like on the form. */
const blank = (a: unknown): boolean => a === undefined || a === false || a === '' || (Array.isArray(a) && a.length === 0);
const sameAnswer = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? sameList(a, b) : JSON.stringify(a) === JSON.stringify(b) || (blank(a) && b === undefined);

/** Only what the form changed goes to updateUseCase, so the audit names the fields that moved. */
function changes(uc: UseCase, d: UpdateSubmission, offered: readonly string[]): Omit<UpdateUseCaseInput, 'actorId' | 'key'> {
  // Models the form could not offer (banned, unregistered) stay: the form cannot have meant to drop them.
  const kept = offered.length ? uc.models.filter((m) => !offered.includes(m)) : [];
  const models = [...new Set([...d.models, ...kept])];
  const answers = Object.fromEntries(Object.entries(d.answers).filter(([q, a]) => !sameAnswer(a, uc.answers[q])));
  return {
    ...(d.title !== uc.title ? { title: d.title } : {}),
    ...(d.description !== uc.description ? { description: d.description } : {}),
    ...(!sameList(models, uc.models) ? { models } : {}),
    ...(Object.keys(answers).length ? { answers } : {}),
  };
}

export async function updateFromForm({ ctx }: HandlerDeps, actor: Person, d: UpdateSubmission): Promise<Reply> {
  const before = await getUseCase(ctx, { key: d.useCaseKey });
  const change = changes(before, d, offeredModels(await ctx.repos.models.list()));
  const fields = Object.keys(change);
  if (!fields.length) return cardReply(ctx, before, 'Nothing changed: the form matched what is stored.');
  const uc = await updateUseCase(ctx, { actorId: actor.id, key: before.key, ...change });
  const context = [`Updated ${fields.join(', ')}.`];
  if (uc.tier === before.tier) return cardReply(ctx, uc, `${context[0]} Risk tier unchanged (${tierLabel(uc.tier)}).`);
  const added = uc.requiredControls.filter((c) => !before.requiredControls.includes(c));
  const dropped = before.requiredControls.filter((c) => !uc.requiredControls.includes(c));
  if (added.length) context.push(`Now required: ${added.join(', ')}.`);
  if (dropped.length) context.push(`No longer required: ${dropped.join(', ')}.`);
  context.push('Reviews follow the cadence of the new tier.');
  return cardReply(ctx, uc, context.join(' '), `Risk tier changed: ${tierLabel(before.tier)} → ${tierLabel(uc.tier)}`);
}
