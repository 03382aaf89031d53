/**
 * Removes personal data and secrets from free text before it is stored or shown: incident
 * reports are pasted in a hurry, often with a log line that carries a key or a customer's
 * email. Pure. Stages run in order, each on the text the previous one left (so a tag is never
 * redacted again): Steward's shape rules, gitleaks' rule list, known prefixes at odd lengths,
 * personal data with checksums, then long random-looking strings.
 *
 * Text is redacted WHOLE and only then shortened (redactAndClip): a secret cut in half no
 * longer matches any rule.
 */
import { gitleaksFindings } from './gitleaksRules';
import { type Finding, type RedactionKind, tag } from './kinds';
import { BEFORE_GITLEAKS, HIGH_ENTROPY, type LocalRule, PERSONAL_DATA, VENDOR_FALLBACKS } from './localRules';

export type { RedactionKind } from './kinds';

export interface Redaction {
  text: string;
  /** Kinds found, each once, in the order first found. */
  kinds: RedactionKind[];
}

const compiled = new Map<LocalRule, RegExp>();
const regexOf = (rule: LocalRule): RegExp => {
  let re = compiled.get(rule);
  if (!re) compiled.set(rule, (re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[gd]/g, '')}gd`)));
  return re;
};

function localFindings(text: string, rules: readonly LocalRule[]): Finding[] {
  const found: Finding[] = [];
  for (const rule of rules) {
    const re = regexOf(rule);
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      if (rule.accept && !rule.accept(m[0], m.slice(1))) continue;
      const span = m.indices![rule.group ?? 0];
      if (!span) continue;
      if (text.slice(span[0], span[1]).includes('REDACTED:')) continue;
      found.push({ start: span[0], end: span[1], kind: rule.kind });
    }
  }
  return found;
}

/** Replaces findings (the first and, among equals, the longest wins an overlap) with tags. */
function apply(text: string, findings: Finding[], kinds: RedactionKind[]): string {
  if (!findings.length) return text;
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const f of sorted) {
    if (f.start < at) continue; // overlaps one already replaced
    out += text.slice(at, f.start) + tag(f.kind);
    at = f.end;
    if (!kinds.includes(f.kind)) kinds.push(f.kind);
  }
  return out + text.slice(at);
}

export function redact(text: string): Redaction {
  const kinds: RedactionKind[] = [];
  let out = text;
  // Tags first met in a stage are listed in the order of the text, stage by stage.
  out = apply(out, localFindings(out, BEFORE_GITLEAKS), kinds);
  out = apply(out, gitleaksFindings(out), kinds);
  out = apply(out, localFindings(out, VENDOR_FALLBACKS), kinds);
  out = apply(out, localFindings(out, PERSONAL_DATA), kinds);
  out = apply(out, localFindings(out, HIGH_ENTROPY), kinds);
  return { text: out, kinds };
}

/** Cuts text to `max` characters with an ellipsis. Only for text that is redacted already. */
export const shorten = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** Redacts the whole text, then shortens it: the one way to derive a title or summary from user text. */
export function redactAndClip(text: string, max: number): Redaction {
  const r = redact(text);
  return { text: shorten(r.text, max), kinds: r.kinds };
}
