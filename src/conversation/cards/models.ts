/** The model registry cards: the list, one model card, and the "can UC-n use X with Y" answer. */
import type { Policy } from '../../domain/policy';
import type { DataClassCheck } from '../../domain/ports';
import type { DataClass, EvalSummary, RegisteredModel } from '../../domain/types';
import { PAGE_ACTION_ID, SHOW_MODEL_ACTION_ID, SHOW_USE_CASE_ACTION_ID } from '../actions';
import { dataClassName, dataPhrase, formatDate, humanise, money, MODEL_TONES, nameOf, percent } from './format';
import type { PeopleIndex } from './format';
import { pageOf } from './model';
import type { Card, Field, Section } from './model';

export const MODELS_PER_PAGE = 10;

export function evalSummaryFields(e: EvalSummary): Field[] {
  const fields: Field[] = [
    { label: 'Suite', value: e.suite },
    { label: 'Result', value: `${e.passed ? 'passed' : 'failed'} (${percent(e.passRate)} of cases)` },
    { label: 'Latency', value: `p50 ${e.latencyP50Ms} ms · p95 ${e.latencyP95Ms} ms` },
    { label: 'Tokens', value: `${e.tokensIn} in · ${e.tokensOut} out` },
    { label: 'Cost', value: money(e.cost) },
  ];
  if (e.hallucinationRate !== undefined) fields.push({ label: 'Hallucination rate', value: percent(e.hallucinationRate) });
  if (e.injectionResistance !== undefined) fields.push({ label: 'Injection resistance', value: percent(e.injectionResistance) });
  return fields;
}

export function modelListCard({ models, page, policy, perPage = MODELS_PER_PAGE }: { models: readonly RegisteredModel[]; page: number; policy: Policy; perPage?: number }): Card {
  if (models.length === 0) return { title: 'Model registry', text: 'No models registered yet.' };
  const slice = pageOf(models, page, perPage);
  return {
    title: `Model registry (${models.length})`,
    sections: slice.items.map((m) => ({
      title: `${m.name} · ${m.displayName}`,
      badge: { label: humanise(m.status), tone: MODEL_TONES[m.status] },
      text: `${m.provider} ${m.version} · ${m.hosting === 'self_hosted' ? 'self-hosted' : 'hosted API'} · data up to ${highestClass(m.allowedDataClasses, policy)}`,
      buttons: [{ label: 'Model card', actionId: SHOW_MODEL_ACTION_ID, value: m.name }],
    })),
    ...(slice.pages > 1 ? { pagination: { page: slice.page, pages: slice.pages, actionId: PAGE_ACTION_ID, value: { list: 'models', page: slice.page } } } : {}),
  };
}

function highestClass(classes: readonly DataClass[], policy: Policy): string {
  const rank = (id: DataClass) => policy.risk.dataClasses.find((d) => d.id === id)?.rank ?? 0;
  const top = [...classes].sort((a, b) => rank(b) - rank(a))[0];
  return top ? dataClassName(policy, top) : 'none';
}

export function modelCard({ model, policy, people, endpointProblem }: { model: RegisteredModel; policy: Policy; people: PeopleIndex; endpointProblem?: string }): Card {
  const sections: Section[] = [];
  if (model.latestEval) {
    sections.push({
      title: `Latest evaluation · ${formatDate(model.latestEval.at)}`,
      badge: { label: model.latestEval.passed ? 'Passed' : 'Failed', tone: model.latestEval.passed ? 'good' : 'danger' },
      fields: evalSummaryFields(model.latestEval),
    });
  } else {
    sections.push({ title: 'Latest evaluation', text: `Not evaluated yet. Try: eval run ${model.name} <suite>` });
  }
  if (model.gpai) {
    sections.push({
      title: 'General-purpose AI model (EU AI Act Chapter V)',
      badge: model.gpai.systemicRisk ? { label: 'systemic risk (Art. 51)', tone: 'warning' } : { label: 'GPAI', tone: 'info' },
      text: [
        `Provider: ${model.gpai.provider}`,
        `Art. 53 documentation for downstream providers: ${model.gpai.art53DocsUrl ?? 'not linked'}`,
        'Use cases built on it record where this information is (Art. 53(1)(b)) before pilot.',
      ].join('\n'),
    });
  }
  return {
    title: `${model.displayName} (${model.name})`,
    subtitle: `${model.provider} · ${model.modelName} · version ${model.version}`,
    badge: { label: humanise(model.status), tone: MODEL_TONES[model.status] },
    ...(model.statusReason ? { text: model.statusReason } : {}),
    fields: [
      { label: 'Allowed data', value: model.allowedDataClasses.map((d) => dataClassName(policy, d)).join(', ') || 'none' },
      { label: 'Hosting', value: model.hosting === 'self_hosted' ? `self-hosted${model.baseUrl ? ` at ${model.baseUrl}` : ''}` : 'hosted API' },
      { label: 'Price per 1k tokens', value: `${money(model.pricePer1kInput)} in · ${money(model.pricePer1kOutput)} out` },
      { label: 'Owner', value: nameOf(people, model.ownerId) },
      { label: 'Evaluation endpoint', value: endpointProblem ? `not configured: ${endpointProblem}` : 'configured' },
    ],
    sections,
    context: `Updated ${formatDate(model.updatedAt)}`,
  };
}

export interface CanUseInput {
  useCaseKey: string;
  modelName: string;
  dataClass: DataClass;
  check: DataClassCheck;
  policy: Policy;
}

export function canUseCard({ useCaseKey, modelName, dataClass, check, policy }: CanUseInput): Card {
  return {
    title: `${check.allowed ? 'Yes' : 'No'}: ${useCaseKey} ${check.allowed ? 'may' : 'may not'} send ${dataPhrase(policy, dataClass)} to ${modelName}`,
    badge: check.allowed ? { label: 'Allowed', tone: 'good' } : { label: 'Not allowed', tone: 'danger' },
    text: check.reason,
    buttons: [
      { label: 'Use case', actionId: SHOW_USE_CASE_ACTION_ID, value: useCaseKey },
      { label: 'Model card', actionId: SHOW_MODEL_ACTION_ID, value: modelName },
    ],
  };
}
