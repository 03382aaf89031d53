/**
 * The request id of the work under way, carried by AsyncLocalStorage: set once per incoming
 * request (src/observability/requestIds.ts) and seen by everything that request starts, even
 * after the HTTP answer was sent (Slack's ack), so every log line of one user action carries it.
 * Outbox deliveries store it on the message and run in it again when they are sent.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the request whose work is running, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn` as part of request `requestId` (no id: runs it outside any request). */
export function withRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId ? storage.run({ requestId }, fn) : fn();
}

/** A well-formed incoming X-Request-Id: short, printable, no spaces (it lands in logs and headers). */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@/+=-]{8,128}$/;
