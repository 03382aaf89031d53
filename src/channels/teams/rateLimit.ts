/**
 * Teams throttles bots per conversation (about 7 messages per second, fewer per minute under
 * load) and answers 429 beyond that. Two layers keep Steward polite:
 *   - a token bucket per conversation, so a burst (a digest to one channel) is spread out
 *     before Teams has to refuse anything;
 *   - on a 429 (or a 5xx), a few retries with exponential backoff and full jitter, honouring
 *     Retry-After when Teams sends one; then the error is thrown so the outbox records the
 *     failure and retries later. Nothing is dropped silently.
 */

export interface RateLimitOptions {
  /** Tokens added per second per conversation. */
  perSecond: number;
  /** Bucket size (the largest burst). */
  burst: number;
  /** Retries after the first 429/5xx before giving up. */
  retries: number;
  /** First backoff; doubled per retry, then a random part of it is used (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 7, burst: 7, retries: 3, baseDelayMs: 500, maxDelayMs: 8_000 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Bucket {
  tokens: number;
  updated: number;
  /** Callers wait in turn, so tokens are handed out in order. */
  queue: Promise<void>;
}

export class ConversationRateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly random: () => number = Math.random,
  ) {}

  /** Waits until the conversation has a token, then takes it. */
  take(conversationId: string): Promise<void> {
    const id = baseConversationId(conversationId);
    const bucket = this.buckets.get(id) ?? { tokens: this.opts.burst, updated: Date.now(), queue: Promise.resolve() };
    this.buckets.set(id, bucket);
    const turn = bucket.queue.then(async () => {
      for (;;) {
        const now = Date.now();
        bucket.tokens = Math.min(this.opts.burst, bucket.tokens + ((now - bucket.updated) / 1000) * this.opts.perSecond);
        bucket.updated = now;
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - bucket.tokens) / this.opts.perSecond) * 1000));
      }
    });
    bucket.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Runs `send` within the conversation's rate, retrying throttling and server errors. */
  async run<T>(conversationId: string, send: () => Promise<T>, onRetry?: (attempt: number, delayMs: number, err: unknown) => void): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.take(conversationId);
      try {
        return await send();
      } catch (e) {
        const status = statusOf(e);
        const retryable = status === 429 || (status !== undefined && status >= 500);
        if (!retryable || attempt >= this.opts.retries) throw e;
        const delay = this.delayFor(attempt, retryAfterMs(e));
        onRetry?.(attempt + 1, delay, e);
        await sleep(delay);
      }
    }
  }

  /** Full jitter: a random delay up to the exponential ceiling, never below Retry-After. */
  delayFor(attempt: number, retryAfter?: number): number {
    const ceiling = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** attempt);
    const jittered = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    return Math.max(jittered, Math.min(retryAfter ?? 0, this.opts.maxDelayMs));
  }
}

/** Thread ids (`19:abc@thread.tacv2;messageid=123`) share their channel's limit. */
export const baseConversationId = (id: string): string => id.split(';')[0]!;

/** The HTTP status of a Bot Connector error (RestError carries statusCode). */
export function statusOf(e: unknown): number | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const o = e as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const s = o.statusCode ?? o.status ?? o.response?.status;
  return typeof s === 'number' ? s : undefined;
}

/** Retry-After of a RestError's response, in ms (seconds or an HTTP date). */
function retryAfterMs(e: unknown): number | undefined {
  const headers = (e as { response?: { headers?: { get?: (n: string) => string | undefined } } } | null)?.response?.headers;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
