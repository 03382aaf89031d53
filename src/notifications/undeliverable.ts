/**
 * A send that no retry can fix: the channel's workspace uninstalled Steward or revoked its
 * token (src/channels/slack/oauth/revocation.ts). A channel's error message starting with the
 * mark makes the dispatcher dead-letter the delivery at once, with that message as its reason,
 * instead of retrying it for hours. The mark travels in the error text because that is what the
 * router reports per channel (`<channel>: <message>; …`).
 */
export const UNDELIVERABLE_MARK = '[undeliverable]';

/** An error message that marks the failure as permanent. */
export const undeliverable = (reason: string): string => `${UNDELIVERABLE_MARK} ${reason}`;

/**
 * True when every channel that failed this attempt failed for good; a transient failure of any
 * other channel (or an error text it cannot read) keeps the usual retries.
 */
export function failedForGood(error: string): boolean {
  // `<channel>: <message>` joined by '; ' (a '; ' inside a message is not followed by `<channel>: `).
  const parts = error.split(/; (?=[\w.-]+: )/);
  return parts.length > 0 && parts.every((p) => p.includes(`: ${UNDELIVERABLE_MARK} `) || p.startsWith(`${UNDELIVERABLE_MARK} `));
}
