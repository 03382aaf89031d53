/**
 * Risk tags an eval case may carry. Identifiers and names copied from the project's reference
 * data (shared/reference/frameworks/owasp-llm-2025.json and nist-ai-600-1-gai-risks.json):
 * OWASP Top 10 for LLM Applications 2025 (names only, CC BY-SA 4.0) and NIST AI 600-1 section 2.
 */
export const OWASP_LLM_2025_IDS = [
  'LLM01:2025', // Prompt Injection
  'LLM02:2025', // Sensitive Information Disclosure
  'LLM03:2025', // Supply Chain
  'LLM04:2025', // Data and Model Poisoning
  'LLM05:2025', // Improper Output Handling
  'LLM06:2025', // Excessive Agency
  'LLM07:2025', // System Prompt Leakage
  'LLM08:2025', // Vector and Embedding Weaknesses
  'LLM09:2025', // Misinformation
  'LLM10:2025', // Unbounded Consumption
] as const;

export const NIST_AI_600_1_RISKS = [
  'CBRN Information or Capabilities',
  'Confabulation',
  'Dangerous, Violent, or Hateful Content',
  'Data Privacy',
  'Environmental Impacts',
  'Harmful Bias and Homogenization',
  'Human-AI Configuration',
  'Information Integrity',
  'Information Security',
  'Intellectual Property',
  'Obscene, Degrading, and/or Abusive Content',
  'Value Chain and Component Integration',
] as const;

const FREE_TAG = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * A tag is an OWASP 2025 id, a NIST AI 600-1 risk name, or a free lower-case label
 * ("refunds"). Anything else is most likely a typo of a framework id (e.g. the 2023 "LLM06").
 */
export function checkTag(tag: string): string | null {
  if ((OWASP_LLM_2025_IDS as readonly string[]).includes(tag)) return null;
  if ((NIST_AI_600_1_RISKS as readonly string[]).includes(tag)) return null;
  if (/^llm\d/i.test(tag)) return `unknown OWASP LLM id "${tag}" (expected e.g. LLM01:2025)`;
  if (FREE_TAG.test(tag)) return null;
  return `unknown tag "${tag}": use an OWASP LLM 2025 id, a NIST AI 600-1 risk name, or a lower-case label`;
}
