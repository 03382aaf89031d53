/**
 * Steward's own patterns, for what gitleaks' list (gitleaksRules.ts) does not cover: free
 * text rather than source files. Credentials inside URLs, `name=value` secrets of any shape,
 * tokens of a known prefix but an unusual length, personal data with its checksums, and
 * long random-looking strings. Each rule names the group that is the secret (default: all).
 */
import { dniValid, ibanValid, luhnValid, nirValid, ninoPrefixValid, ssnValid } from './checksums';
import type { RedactionKind } from './kinds';

export interface LocalRule {
  kind: RedactionKind;
  /** Compiled with the g and d flags by the redactor. */
  pattern: RegExp;
  /** The capture group that is the secret; 0 (default) is the whole match. */
  group?: number;
  /** Keep a match the checksum or shape check rejects. */
  accept?: (match: string, groups: Array<string | undefined>) => boolean;
}

const mixedCharset = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s);

function phoneLike(m: string): boolean {
  const digits = m.replace(/\D/g, '');
  if (/^\d{4}-\d{2}-\d{2}/.test(m)) return false; // an ISO date, not a number to call
  if (/^\d{1,2}:\d{2}/.test(m)) return false; // a time
  if (/^\d{3}-\d{2}-\d{4}$/.test(m)) return false; // SSN-shaped: the national id rule decides
  // Dotted numbers are phones only in groups of 2-4 digits (415.555.2671), not build numbers.
  if (m.includes('.') && !m.split(/[.\s()-]+/).filter(Boolean).every((g) => g.length >= 2 && g.length <= 4)) return false;
  if (/^(\+|00)/.test(m)) return digits.length >= 8 && digits.length <= 15;
  if (/[\s().-]/.test(m)) return digits.length >= 9 && digits.length <= 13;
  // Bare digits: a national number with its trunk 0 (07700 900123), or a North American one
  // (area codes never start with 0 or 1) - not a Unix timestamp or an order number.
  return /^0\d{9,10}$/.test(digits) || /^[2-9]\d{9}$/.test(digits);
}

/**
 * The value after `password=` is a secret whatever it looks like, but "token: expired" or
 * "password: <your password>" are prose and placeholders: a value counts when it has a digit,
 * mixed case or a symbol, or is long.
 */
function secretValue(value: string): boolean {
  if (/^[<${*[]/.test(value) || /^(?:null|none|undefined|true|false|redacted)$/i.test(value)) return false;
  return /\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value)) || /[^A-Za-z0-9]/.test(value) || value.length >= 12;
}

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/** Before gitleaks: shapes whose secret part gitleaks would tag wrongly or not at all. */
export const BEFORE_GITLEAKS: LocalRule[] = [
  { kind: 'private_key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/ },
  // scheme://user:password@host: postgres, mongodb(+srv), redis (`redis://:pw@`), amqp, https …
  // The whole user-info goes: the user name of a service account is half the credential.
  { kind: 'url_credentials', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:@/?#]*:[^\s@/?#]+)@/i, group: 1 },
  { kind: 'bearer_token', pattern: /\b(?:Bearer)\s+([A-Za-z0-9._~+/-]{8,}=*)/i, group: 1 },
  {
    // "password=hunter2", "api_key: abc…", JSON "password": "…", Azure "AccountKey=…;": the value is the secret.
    kind: 'secret',
    pattern:
      /\b(?:password|passwd|pwd|secret|client_secret|api[_-]?key|access[_-]?token|auth[_-]?token|token|AccountKey|SharedAccessKey|SharedAccessSignature|sig)["']?\s*[:=]\s*(["']?)([^\s"',;]{4,})\1/i,
    group: 2,
    accept: (_m, g) => secretValue(g[1] ?? ''),
  },
];

/** After gitleaks: known prefixes at lengths its exact patterns miss. */
export const VENDOR_FALLBACKS: LocalRule[] = [
  { kind: 'api_key', pattern: /\b(?:sk|rk|pk)-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}/ },
  { kind: 'api_key', pattern: /\b(?:glpat|glptt|gldt|glrt|glcbt|glsoat|glffct|glft)-[A-Za-z0-9_.-]{16,}/ },
  { kind: 'api_key', pattern: /\bdo[opr]_v1_[a-f0-9]{32,}/ },
  { kind: 'slack_token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'aws_access_key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'github_token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
];

/** Personal data: each candidate shape confirmed by its checksum or allocation rules. */
export const PERSONAL_DATA: LocalRule[] = [
  // The local part is at most 64 characters (RFC 5321) and starts a run: without both, a long
  // run with no @ is scanned again from each of its characters (quadratic time).
  { kind: 'email', pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,}/ },
  { kind: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/, accept: (m) => ibanValid(m) },
  // Card numbers start with 2-6 (ISO/IEC 7812 issuer identifiers of the card schemes) and pass Luhn.
  { kind: 'payment_card', pattern: /(?<![\w-])[2-6](?:[ -]?\d){12,18}(?![\w-])/, accept: (m) => luhnValid(m.replace(/\D/g, '')) },
  // US SSN, written with dashes or spaces (a bare 9-digit number is too often something else).
  { kind: 'national_id', pattern: /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/, accept: (_m, g) => ssnValid(g[0]!, g[2]!, g[3]!) },
  { kind: 'national_id', pattern: /\b([A-Z]{2}) ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/, accept: (_m, g) => ninoPrefixValid(g[0]!) },
  { kind: 'national_id', pattern: /\b[XYZ]?\d{7,8}-?[A-Z]\b/, accept: (m) => dniValid(m) },
  { kind: 'national_id', pattern: /\b[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b/, accept: (m) => nirValid(m) },
  // IPv4, not a version number (v1.2.3.4, 1.2.3.4.5) nor part of a longer dotted word.
  { kind: 'ip_address', pattern: new RegExp(`(?<![\\w.])${octet}(?:\\.${octet}){3}(?![\\w]|\\.\\d)`) },
  { kind: 'phone', pattern: /(?<![\w+])(?:\+|00)?\(?\d[\d\s().-]{5,20}\d(?!\w)/, accept: (m) => phoneLike(m.trim()) },
];

/** Last: long random-looking strings no rule named. */
export const HIGH_ENTROPY: LocalRule[] = [
  // 32+ hex digits is a key or a hash of one, except exactly 40: a git commit SHA, which people
  // paste into incident reports and which is no secret.
  { kind: 'secret', pattern: /\b[a-fA-F0-9]{32,}\b/, accept: (m) => m.length !== 40 },
  { kind: 'secret', pattern: /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/=_-])/, accept: (m) => mixedCharset(m) },
];
