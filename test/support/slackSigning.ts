/**
 * Signs a request body exactly as Slack does (v0): HMAC-SHA256 over `v0:${timestamp}:${rawBody}`
 * with the app's signing secret, sent as X-Slack-Signature with X-Slack-Request-Timestamp.
 * Tests and the benchmark send real HTTP requests with these headers to the real Bolt receiver.
 */
import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  contentType?: 'application/x-www-form-urlencoded' | 'application/json';
  /** Adds X-Slack-Retry-Num / X-Slack-Retry-Reason like a Slack retry. */
  retryNum?: number;
}

export function signRequest(rawBody: string, opts: SignOptions = {}): SignedRequest {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(opts.secret ?? TEST_SIGNING_SECRET, timestamp, rawBody),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { body: rawBody, headers };
}

/** A slash command body as Slack sends it (application/x-www-form-urlencoded). */
export function slashCommandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Interactivity payloads (block_actions, view_submission) arrive as a `payload=` form field. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** POSTs a signed body to the app and returns status and text. */
export async function postSigned(
  url: string,
  rawBody: string,
  opts: SignOptions = {},
): Promise<{ status: number; text: string; ms: number }> {
  const { headers } = signRequest(rawBody, opts);
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}
