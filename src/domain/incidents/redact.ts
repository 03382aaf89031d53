/**
 * Redaction lives in src/domain/redaction (gitleaks' rule list plus Steward's own checks);
 * incidents, notes and eval reports import it from here as before.
 */
export { type Redaction, type RedactionKind, redact, redactAndClip, shorten } from '../redaction/redact';
export { ibanValid, luhnValid } from '../redaction/checksums';

/** True when a value given as an environment variable NAME is probably a key itself. */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (/^(sk|rk|pk)[-_]/i.test(v) || /^xox[abposr]-/i.test(v) || /^gh[pousr]_/i.test(v) || /^github_pat_/i.test(v)) return true;
  if (/^(AKIA|ASIA)[0-9A-Z]{16}$/.test(v) || /^eyJ/.test(v) || /^Bearer\s/i.test(v)) return true;
  // Names are words joined by underscores; a long run of letters and digits without one is a key.
  return v.length >= 20 && /\d/.test(v) && !v.includes('_');
}
