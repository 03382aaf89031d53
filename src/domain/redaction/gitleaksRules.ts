/**
 * Secrets found by gitleaks' default rule list (rules/gitleaks.json, generated from the
 * vendored rules/gitleaks.toml by scripts/refresh-redaction-rules.ts; MIT, rules/LICENSE.gitleaks).
 * Applied as gitleaks applies them: a rule runs only when one of its keywords is in the text;
 * the secret is the rule's secret group (else its first non-empty group, else the match); a
 * secret below the rule's entropy, or excused by an allowlist, is kept.
 */
import generated from './rules/gitleaks.json';
import type { Finding, RedactionKind } from './kinds';

interface JsRegex {
  source: string;
  flags: string;
}
interface Allowlist {
  target: string;
  regexes: JsRegex[];
  stopwords: string[];
}
interface GeneratedRule {
  id: string;
  regex: JsRegex;
  entropy?: number;
  secretGroup?: number;
  keywords: string[];
  allowlists: Allowlist[];
}

interface Rule {
  id: string;
  kind: RedactionKind;
  re: RegExp;
  entropy?: number;
  secretGroup?: number;
  keywords: string[];
  allowlists: Array<{ target: string; regexes: RegExp[]; stopwords: string[] }>;
}

/** gitleaks ids grouped into the kinds Steward names in its tags and incident records. */
export function kindOfRule(id: string): RedactionKind {
  if (id === 'private-key') return 'private_key';
  if (id.startsWith('jwt')) return 'jwt';
  if (id === 'aws-access-token') return 'aws_access_key';
  if (id.startsWith('github-')) return 'github_token';
  if (id.startsWith('slack-')) return 'slack_token';
  if (id.startsWith('generic-') || id.startsWith('curl-')) return 'secret';
  return 'api_key';
}

const compile = (r: JsRegex, extra = ''): RegExp => new RegExp(r.source, r.flags + extra);

const data = generated as unknown as { rules: GeneratedRule[]; global: { regexes: JsRegex[]; stopwords: string[] }; source: { version: string } };
export const GITLEAKS_VERSION = data.source.version;
const GLOBAL_ALLOW = data.global.regexes.map((r) => compile(r));
const GLOBAL_STOPWORDS = data.global.stopwords;
export const GITLEAKS_RULES: readonly Rule[] = data.rules.map((r) => ({
  id: r.id,
  kind: kindOfRule(r.id),
  // d: match indices, to replace only the secret group and keep the key name around it.
  re: compile(r.regex, 'gd'),
  ...(r.entropy !== undefined ? { entropy: r.entropy } : {}),
  ...(r.secretGroup !== undefined ? { secretGroup: r.secretGroup } : {}),
  keywords: r.keywords,
  allowlists: r.allowlists.map((a) => ({ target: a.target, regexes: a.regexes.map((x) => compile(x)), stopwords: a.stopwords })),
}));

/** Shannon entropy in bits per character, as gitleaks computes it. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function lineAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const to = text.indexOf('\n', end);
  return text.slice(from, to < 0 ? text.length : to);
}

function allowed(rule: Rule, secret: string, match: string, line: string): boolean {
  const lower = secret.toLowerCase();
  if (GLOBAL_ALLOW.some((re) => re.test(secret)) || GLOBAL_STOPWORDS.some((w) => lower.includes(w))) return true;
  return rule.allowlists.some((a) => {
    const target = a.target === 'match' ? match : a.target === 'line' ? line : secret;
    return a.regexes.some((re) => re.test(target)) || a.stopwords.some((w) => lower.includes(w));
  });
}

/** The secret of one match: its span in the text. */
function secretSpan(rule: Rule, m: RegExpExecArray): [number, number] {
  const indices = m.indices!;
  if (rule.secretGroup && indices[rule.secretGroup]) return indices[rule.secretGroup]!;
  for (let g = 1; g < m.length; g++) if (m[g] && indices[g]) return indices[g]!;
  return [m.index, m.index + m[0].length];
}

/** Every secret gitleaks' rules find in `text`; `lower` is text.toLowerCase() (keyword check). */
export function gitleaksFindings(text: string, lower: string = text.toLowerCase()): Finding[] {
  const found: Finding[] = [];
  for (const rule of GITLEAKS_RULES) {
    if (rule.keywords.length && !rule.keywords.some((k) => lower.includes(k))) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      if (m[0].length === 0) rule.re.lastIndex++;
      const [start, end] = secretSpan(rule, m);
      const secret = text.slice(start, end);
      if (!secret || secret.includes('REDACTED:')) continue;
      if (rule.entropy) {
        if (shannonEntropy(secret) <= rule.entropy) continue;
        // gitleaks: a generic rule's secret must hold a digit (words are not keys).
        if (rule.id.startsWith('generic') && !/\d/.test(secret)) continue;
      }
      if (allowed(rule, secret, m[0], lineAround(text, start, end))) continue;
      found.push({ start, end, kind: rule.kind });
    }
  }
  return found;
}
