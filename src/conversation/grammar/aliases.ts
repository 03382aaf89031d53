/**
 * Words people type for stages, tiers, data classes and RACI areas, mapped to the ids the
 * domain uses. Lookups are on a normalised form (lower case, runs of spaces/dashes -> "_"),
 * so "Security Audit", "security-audit" and "security_audit" are the same word.
 */
import { ALL_STAGES, DATA_CLASSES, RISK_TIERS, SEVERITIES } from '../../domain/types';
import type { DataClass, RiskTier, Severity, Stage } from '../../domain/types';

export const normaliseWord = (text: string): string =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s\-/]+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_');

function table<T extends string>(ids: readonly T[], extra: Record<string, T>): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const id of ids) map.set(id, id);
  for (const [alias, id] of Object.entries(extra)) map.set(normaliseWord(alias), id);
  return map;
}

export const STAGE_ALIASES = table<Stage>(ALL_STAGES, {
  idea: 'ideation',
  ideas: 'ideation',
  proto: 'prototype',
  prototyping: 'prototype',
  poc: 'prototype',
  eval: 'evaluation',
  evaluating: 'evaluation',
  security: 'security_audit',
  'security audit': 'security_audit',
  audit: 'security_audit',
  piloting: 'pilot',
  prod: 'production',
  live: 'production',
  'continuous improvement': 'continuous_improvement',
  improvement: 'continuous_improvement',
  ci: 'continuous_improvement',
  paused: 'suspended',
  suspend: 'suspended',
  retire: 'retired',
});

export const TIER_ALIASES = table<RiskTier>(RISK_TIERS, {
  'high-risk': 'high',
  'high risk': 'high',
  unacceptable: 'prohibited',
  'unacceptable risk': 'prohibited',
  forbidden: 'prohibited',
  limited: 'transparency',
  'limited risk': 'transparency',
  'limited-risk': 'transparency',
  'transparency risk': 'transparency',
  minimal_risk: 'minimal',
  'minimal risk': 'minimal',
  low: 'minimal',
  'low risk': 'minimal',
});

export const DATA_CLASS_ALIASES = table<DataClass>(DATA_CLASSES, {
  open: 'public',
  'internal only': 'internal',
  secret: 'confidential',
  pii: 'personal',
  'personal data': 'personal',
  'personal info': 'personal',
  special: 'special_category',
  'special category': 'special_category',
  'special category data': 'special_category',
  health: 'special_category',
  'health data': 'special_category',
  biometric: 'special_category',
  'art 9': 'special_category',
});

/** Built-in area words; the playbook's own area ids and names are added at parse time. */
export const AREA_ALIASES: ReadonlyMap<string, string> = table<string>([], {
  model: 'model_selection',
  models: 'model_selection',
  'model selection': 'model_selection',
  'fine tuning': 'model_selection',
  finetuning: 'model_selection',
  prompt: 'prompt_design',
  prompts: 'prompt_design',
  'prompt design': 'prompt_design',
  infra: 'infrastructure',
  infrastructure: 'infrastructure',
  deployment: 'infrastructure',
  platform: 'infrastructure',
  safety: 'safety_compliance',
  compliance: 'safety_compliance',
  ethics: 'safety_compliance',
  'safety compliance': 'safety_compliance',
  ux: 'user_experience',
  'user experience': 'user_experience',
  integration: 'user_experience',
  design: 'user_experience',
});

export function severityFrom(word: string): Severity | undefined {
  const m = /^(?:sev|s|p)[-_ ]?([1-4])$/i.exec(word.trim());
  const id = m ? `sev${m[1]}` : undefined;
  return SEVERITIES.find((s) => s === id);
}

/** "uc-3", "UC3", "Uc-03" -> "UC-3"; anything else -> undefined. */
export function keyFrom(prefix: 'UC' | 'APR' | 'INC', word: string | undefined): string | undefined {
  if (!word) return undefined;
  const m = new RegExp(`^${prefix}-?0*(\\d+)$`, 'i').exec(word.trim());
  return m ? `${prefix}-${Number(m[1])}` : undefined;
}

export interface AreaChoice {
  id: string;
  name?: string;
}

/**
 * Resolves an area word. With the playbook's areas it answers only with one of them (by id,
 * name, alias or a unique id prefix); without them it falls back to the built-in aliases,
 * then to the normalised word, and the domain says whether the area exists.
 */
export function areaFrom(text: string, areas?: readonly AreaChoice[]): string | undefined {
  const word = normaliseWord(text);
  if (!word) return undefined;
  if (!areas || areas.length === 0) return AREA_ALIASES.get(word) ?? word;
  const ids = new Set(areas.map((a) => a.id));
  for (const a of areas) {
    if (a.id === word || (a.name && normaliseWord(a.name) === word)) return a.id;
  }
  const alias = AREA_ALIASES.get(word);
  if (alias && ids.has(alias)) return alias;
  const prefixed = areas.filter((a) => a.id.startsWith(word) || a.id.split('_').includes(word));
  return prefixed.length === 1 ? prefixed[0]!.id : undefined;
}

/** Short words for the default playbook's roles; only used when the playbook has that role id. */
export const ROLE_ALIASES: ReadonlyMap<string, string> = table<string>([], {
  admin: 'ai_coe_admin',
  coe: 'ai_coe_admin',
  'coe admin': 'ai_coe_admin',
  'ai coe admin': 'ai_coe_admin',
  pm: 'llm_product_manager',
  'product manager': 'llm_product_manager',
  prompt: 'prompt_engineer',
  'prompt engineer': 'prompt_engineer',
  security: 'ai_security_specialist',
  'security specialist': 'ai_security_specialist',
  llmops: 'llmops_engineer',
  mlops: 'llmops_engineer',
  ops: 'llmops_engineer',
  expert: 'domain_expert',
  'domain expert': 'domain_expert',
  'data science': 'data_science_ml',
  ds: 'data_science_ml',
  ml: 'data_science_ml',
  platform: 'platform_engineering',
  legal: 'ai_governance_legal',
  governance: 'ai_governance_legal',
  ux: 'product_ux_design',
  design: 'product_ux_design',
});

export interface RoleChoice {
  id: string;
  name?: string;
}

/**
 * Resolves a role word like areaFrom: with the playbook's roles, only one of them (by id,
 * name, alias or a unique id prefix); without them the alias or normalised word, and the
 * domain says whether the role exists.
 */
export function roleFrom(text: string, roles?: readonly RoleChoice[]): string | undefined {
  const word = normaliseWord(text);
  if (!word) return undefined;
  if (!roles || roles.length === 0) return ROLE_ALIASES.get(word) ?? word;
  for (const r of roles) {
    if (r.id === word || (r.name && normaliseWord(r.name) === word)) return r.id;
  }
  const alias = ROLE_ALIASES.get(word);
  if (alias && roles.some((r) => r.id === alias)) return alias;
  const prefixed = roles.filter((r) => r.id.startsWith(word));
  return prefixed.length === 1 ? prefixed[0]!.id : undefined;
}

/** "ada@example.com", or Slack's escaped "<mailto:ada@example.com|ada@example.com>": the address. */
export function emailFrom(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const m = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/i.exec(word.trim());
  const address = (m ? m[1]! : word).trim().toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address) ? address : undefined;
}

/** Slack's escaped mention "<@U123ABC>" (or "<@U123ABC|ada>", or the bare id): the user id. */
export function slackUserFrom(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(word.trim()) ?? /^@?([UW][A-Z0-9]{2,})$/i.exec(word.trim());
  return m ? m[1]!.toUpperCase() : undefined;
}
