/**
 * Removes personal data and secrets from free text before it is stored or shown: incident
 * reports are pasted in a hurry, often with a log line that carries a key or a customer's
 * email. Pure; order matters (specific token shapes before generic number/secret shapes).
 */

export type RedactionKind =
  | 'jwt'
  | 'bearer_token'
  | 'private_key'
  | 'api_key'
  | 'slack_token'
  | 'aws_access_key'
  | 'github_token'
  | 'secret'
  | 'email'
  | 'iban'
  | 'payment_card'
  | 'phone';

export interface Redaction {
  text: string;
  /** Kinds found, each once, in the order first found. */
  kinds: RedactionKind[];
}

const tag = (kind: RedactionKind) => `[REDACTED:${kind}]`;

/** Luhn checksum: tells a card number from an order id or a timestamp. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 mod-97 check. */
export function ibanValid(candidate: string): boolean {
  const s = candidate.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

const mixedCharset = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s);

function phoneLike(m: string): boolean {
  const digits = m.replace(/\D/g, '');
  if (/^\d{4}-\d{2}-\d{2}/.test(m)) return false; // an ISO date, not a number to call
  if (/^(\+|00)/.test(m)) return digits.length >= 8 && digits.length <= 15;
  if (/[\s().-]/.test(m)) return digits.length >= 9 && digits.length <= 13;
  return digits.length >= 10 && digits.length <= 11;
}

interface Rule {
  kind: RedactionKind;
  pattern: RegExp;
  /** Accept or reject a match; returns the replacement text, or null to keep the match. */
  replace?: (match: string, ...groups: string[]) => string | null;
}

const RULES: Rule[] = [
  { kind: 'private_key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g },
  { kind: 'bearer_token', pattern: /\b(Bearer)\s+[A-Za-z0-9._~+/-]{8,}=*/gi, replace: (_m, word) => `${word} ${tag('bearer_token')}` },
  { kind: 'api_key', pattern: /\b(?:sk|rk|pk)-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}/g },
  { kind: 'slack_token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'aws_access_key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'github_token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g },
  {
    // "password=hunter2", "api_key: abc…": the value is a secret whatever it looks like.
    kind: 'secret',
    pattern: /\b(password|passwd|pwd|secret|client_secret|api[_-]?key|access[_-]?token|auth[_-]?token|token)(\s*[:=]\s*)(["']?)([^\s"',;]{4,})\3/gi,
    replace: (m, name, sep, q, value) => (value.startsWith('[REDACTED:') ? null : `${name}${sep}${q}${tag('secret')}${q}`),
  },
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, replace: (m) => (ibanValid(m) ? tag('iban') : null) },
  {
    kind: 'payment_card',
    pattern: /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g,
    replace: (m) => (luhnValid(m.replace(/\D/g, '')) ? tag('payment_card') : null),
  },
  {
    kind: 'phone',
    pattern: /(?<![\w+])(?:\+|00)?\(?\d[\d\s().-]{5,20}\d(?![\w])/g,
    replace: (m) => (phoneLike(m.trim()) ? tag('phone') : null),
  },
  { kind: 'secret', pattern: /\b[a-fA-F0-9]{32,}\b/g },
  {
    kind: 'secret',
    pattern: /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/=_-])/g,
    replace: (m) => (mixedCharset(m) ? tag('secret') : null),
  },
];

export function redact(text: string): Redaction {
  const kinds: RedactionKind[] = [];
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      const groups = rest.filter((g): g is string => typeof g === 'string');
      const replacement = rule.replace ? rule.replace(match, ...groups) : tag(rule.kind);
      if (replacement === null) return match;
      if (!kinds.includes(rule.kind)) kinds.push(rule.kind);
      return replacement;
    });
  }
  return { text: out, kinds };
}

/** True when a value given as an environment variable NAME is probably a key itself. */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (/^(sk|rk|pk)[-_]/i.test(v) || /^xox[abposr]-/i.test(v) || /^gh[pousr]_/i.test(v) || /^github_pat_/i.test(v)) return true;
  if (/^(AKIA|ASIA)[0-9A-Z]{16}$/.test(v) || /^eyJ/.test(v) || /^Bearer\s/i.test(v)) return true;
  // Names are words joined by underscores; a long run of letters and digits without one is a key.
  return v.length >= 20 && /\d/.test(v) && !v.includes('_');
}
