/**
 * Calls an OpenAI-compatible chat endpoint through the official SDK, with our own retry
 * policy: the SDK's retries are off (maxRetries: 0) so that backoff, jitter, retry-after and
 * the per-endpoint concurrency bound are decided in one place and show up in the results.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ModelEndpoint } from './endpoint';
import { resolveApiKey } from './endpoint';
import { sharedEndpointLimiters, type EndpointLimiters } from './limiter';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface RetryPolicy {
  /** Retries after the first attempt (429, 5xx, connection errors). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest retry-after we honour; a provider asking for more gets this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 };

export interface ChatClientOptions {
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Concurrency bound for this endpoint (shared with everyone using the same base URL). */
  concurrency?: number;
  limiters?: EndpointLimiters;
  env?: NodeJS.ProcessEnv;
}

export interface ChatResult {
  content: string;
  tokensIn: number;
  tokensOut: number;
  /** Wall time of the successful attempt, queueing and backoff excluded. */
  latencyMs: number;
  attempts: number;
}

export class ChatCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'ChatCallError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds the server asked us to wait (retry-after-ms, retry-after seconds or HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffMs(attempt: number, p: RetryPolicy, random = Math.random): number {
  const exp = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt);
  return Math.round(exp / 2 + random() * (exp / 2));
}

function isRetryable(e: unknown): boolean {
  if (e instanceof APIConnectionTimeoutError) return false; // a slow model stays slow; a retry only doubles the wait
  if (e instanceof APIConnectionError) return true;
  if (e instanceof APIError && typeof e.status === 'number') return e.status === 429 || e.status >= 500;
  return false;
}

function describe(e: unknown, timeoutMs: number): string {
  if (e instanceof APIConnectionTimeoutError) return `timed out after ${timeoutMs} ms`;
  if (e instanceof APIConnectionError) return `connection failed: ${e.message}`;
  if (e instanceof APIError) return `HTTP ${e.status ?? '?'}: ${e.message}`.slice(0, 300);
  return e instanceof Error ? e.message : String(e);
}

export class ChatClient {
  private readonly client: OpenAI;
  private readonly retry: RetryPolicy;
  readonly timeoutMs: number;

  constructor(
    readonly endpoint: ModelEndpoint,
    private readonly opts: ChatClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.client = new OpenAI({
      baseURL: endpoint.baseUrl,
      apiKey: resolveApiKey(endpoint, opts.env),
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
    // Registers (or reconfigures) the shared bound for this base URL.
    (opts.limiters ?? sharedEndpointLimiters).for(endpoint.baseUrl, opts.concurrency);
  }

  private get limiter() {
    return (this.opts.limiters ?? sharedEndpointLimiters).for(this.endpoint.baseUrl);
  }

  async chat(messages: ChatMessage[], params: { temperature?: number; maxTokens?: number; timeoutMs?: number } = {}): Promise<ChatResult> {
    const timeout = params.timeoutMs ?? this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      let wait: number | undefined;
      let started = 0;
      try {
        return await this.limiter.run(async () => {
          started = performance.now();
          const res = await this.client.chat.completions.create(
            {
              model: this.endpoint.modelName,
              messages,
              ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
              ...(params.maxTokens !== undefined ? { max_tokens: params.maxTokens } : {}),
            },
            { timeout },
          );
          return {
            content: res.choices?.[0]?.message?.content ?? '',
            tokensIn: res.usage?.prompt_tokens ?? 0,
            tokensOut: res.usage?.completion_tokens ?? 0,
            latencyMs: Math.round(performance.now() - started),
            attempts: attempt + 1,
          };
        });
      } catch (e) {
        const status = e instanceof APIError && typeof e.status === 'number' ? e.status : undefined;
        // The SDK only recognises its own abort as a timeout when the abort error comes from the
        // same JS realm; under test runners it reports a plain connection error. The clock decides.
        const timedOut = e instanceof APIConnectionTimeoutError || (e instanceof APIConnectionError && started > 0 && performance.now() - started >= timeout - 5);
        if (timedOut) throw new ChatCallError(`timed out after ${timeout} ms`, undefined, attempt + 1);
        if (!isRetryable(e) || attempt >= this.retry.maxRetries) {
          throw new ChatCallError(describe(e, timeout), status, attempt + 1);
        }
        const asked = e instanceof APIError ? retryAfterMs(e.headers ?? undefined) : undefined;
        wait =
          asked !== undefined
            ? Math.min(asked, this.retry.maxRetryAfterMs) + Math.round(Math.random() * 50)
            : backoffMs(attempt, this.retry);
      }
      // Back off outside the limiter: the slot goes to another case meanwhile.
      await sleep(wait);
    }
  }
}
