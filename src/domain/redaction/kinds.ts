/** What the redactor found, named in the `[REDACTED:<kind>]` tag left in the text. */
export type RedactionKind =
  | 'jwt'
  | 'bearer_token'
  | 'private_key'
  | 'api_key'
  | 'slack_token'
  | 'aws_access_key'
  | 'github_token'
  | 'url_credentials'
  | 'secret'
  | 'email'
  | 'iban'
  | 'payment_card'
  | 'national_id'
  | 'ip_address'
  | 'phone';

export const tag = (kind: RedactionKind): string => `[REDACTED:${kind}]`;

/** True when the text already carries a redaction tag (so no rule redacts a tag again). */
export const isTagged = (text: string): boolean => text.includes('[REDACTED:') || text.includes('REDACTED:');

/** Where something to redact sits in the text, and what it is. */
export interface Finding {
  start: number;
  end: number;
  kind: RedactionKind;
}
