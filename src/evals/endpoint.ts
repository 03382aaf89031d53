/**
 * Where a model answers and what it costs, taken from the registry. The API key is read
 * from the environment variable the registry names, at call time, and never stored or logged.
 */
import { ValidationError } from '../domain/errors';
import type { RegisteredModel } from '../domain/types';

export interface ModelEndpoint {
  /** Registry name (or the --model flag when running without a registry). */
  name: string;
  baseUrl: string;
  modelName: string;
  apiKeyEnv?: string;
  /** Self-hosted endpoints usually take no key; a placeholder is sent instead. */
  needsApiKey: boolean;
  pricePer1kInput: number;
  pricePer1kOutput: number;
}

/** Sent where the endpoint needs no key: the SDK refuses to start without one. */
export const PLACEHOLDER_API_KEY = 'not-needed';

export function endpointFromModel(model: RegisteredModel): ModelEndpoint {
  if (!model.baseUrl) {
    throw new ValidationError('eval.no_endpoint', `Model ${model.name} has no baseUrl in the registry.`);
  }
  return {
    name: model.name,
    baseUrl: model.baseUrl,
    modelName: model.modelName,
    ...(model.apiKeyEnv ? { apiKeyEnv: model.apiKeyEnv } : {}),
    needsApiKey: model.hosting === 'hosted_api',
    pricePer1kInput: model.pricePer1kInput,
    pricePer1kOutput: model.pricePer1kOutput,
  };
}

/**
 * Why a model's endpoint cannot be evaluated here, or undefined when it can: no URL, or a key
 * the registry names (or a hosted API needs) that this process does not have. Scheduled runs
 * skip such models rather than fail against them; the model card says "not configured".
 */
export function endpointProblem(model: Pick<RegisteredModel, 'baseUrl' | 'apiKeyEnv' | 'hosting'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!model.baseUrl) return 'no endpoint URL in the registry';
  if (model.apiKeyEnv && !env[model.apiKeyEnv]) return `the environment variable ${model.apiKeyEnv} is not set`;
  if (!model.apiKeyEnv && model.hosting === 'hosted_api') return 'a hosted API, but the registry names no API key variable';
  return undefined;
}

export function resolveApiKey(ep: ModelEndpoint, env: NodeJS.ProcessEnv = process.env): string {
  const key = ep.apiKeyEnv ? env[ep.apiKeyEnv] : undefined;
  if (key) return key;
  if (!ep.needsApiKey) return PLACEHOLDER_API_KEY;
  throw new ValidationError(
    'eval.api_key_missing',
    ep.apiKeyEnv
      ? `Set the environment variable ${ep.apiKeyEnv} to the API key of ${ep.name}.`
      : `Model ${ep.name} is a hosted API but names no apiKeyEnv in the registry.`,
  );
}

export function costOf(ep: Pick<ModelEndpoint, 'pricePer1kInput' | 'pricePer1kOutput'>, tokensIn: number, tokensOut: number): number {
  // Rounded to a millionth so sums of many cases do not show float noise in reports.
  return Math.round(((tokensIn / 1000) * ep.pricePer1kInput + (tokensOut / 1000) * ep.pricePer1kOutput) * 1e6) / 1e6;
}
