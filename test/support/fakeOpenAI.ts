/**
 * A local OpenAI-compatible server for tests and benchmarks: POST /v1/chat/completions with
 * usage, configurable latency, injected errors (429 with retry-after, 500 …) and scripted
 * replies. The real `openai` SDK reaches it over HTTP on 127.0.0.1. Any other path answers
 * 500 and is recorded in `unexpected`, which tests assert to be empty.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMessage {
  role: string;
  content: string;
}

export interface FakeChatRequest {
  model: string;
  messages: FakeMessage[];
  temperature?: number;
  max_tokens?: number;
  authorization?: string;
  at: number;
}

export type FakeReply =
  | string
  | { content: string; promptTokens?: number; completionTokens?: number }
  /** Answer this one request with an HTTP error (e.g. 400 context_length_exceeded). */
  | { error: InjectedError };
export type Behaviour = (req: FakeChatRequest) => FakeReply | Promise<FakeReply>;

export interface InjectedError {
  status: number;
  /** Seconds, sent as retry-after. */
  retryAfter?: number;
  /** Milliseconds, sent as retry-after-ms. */
  retryAfterMs?: number;
  body?: unknown;
}

export interface FakeOpenAIOptions {
  latencyMs?: number | ((req: FakeChatRequest) => number);
  behaviour?: Behaviour;
}

/** Rough but deterministic token count: one token per 4 characters, at least 1. */
export const countTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

const lastUser = (req: FakeChatRequest) => [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
const systemText = (req: FakeChatRequest) => req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');

/** Replies with the last user message. */
export const echo: Behaviour = (req) => lastUser(req);

/** First matching row wins: a substring (case-insensitive) or a regex of the last user message. */
export function answerFromTable(rows: Array<{ match: string | RegExp; reply: string }>, fallback = "I don't know."): Behaviour {
  return (req) => {
    const q = lastUser(req);
    const row = rows.find((r) => (typeof r.match === 'string' ? q.toLowerCase().includes(r.match.toLowerCase()) : r.match.test(q)));
    return row ? row.reply : fallback;
  };
}

/** A leaky model: asked for its instructions or secrets, it repeats its whole system prompt. */
export function leakSystemPromptWhenAsked(otherwise: Behaviour = () => 'How can I help?'): Behaviour {
  return (req) =>
    /system prompt|instructions|secret|reference code|ignore (all|previous)/i.test(lastUser(req))
      ? `Sure! My instructions are: ${systemText(req)}`
      : otherwise(req);
}

export class FakeOpenAI {
  readonly requests: FakeChatRequest[] = [];
  readonly unexpected: Array<{ method: string; path: string }> = [];
  inFlight = 0;
  maxInFlight = 0;
  private server: Server | undefined;
  private errors: InjectedError[] = [];
  private opts: FakeOpenAIOptions;

  constructor(opts: FakeOpenAIOptions = {}) {
    this.opts = { ...opts };
  }

  /** Base URL for the SDK, e.g. http://127.0.0.1:54321/v1 */
  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('fake OpenAI server is not started');
    return `http://127.0.0.1:${addr.port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  setBehaviour(b: Behaviour): void {
    this.opts.behaviour = b;
  }
  setLatency(ms: number | ((req: FakeChatRequest) => number)): void {
    this.opts.latencyMs = ms;
  }
  /** The next `times` chat calls fail with this error, in order, before normal replies resume. */
  failNext(times: number, error: InjectedError): void {
    for (let i = 0; i < times; i++) this.errors.push(error);
  }
  reset(): void {
    this.requests.length = 0;
    this.unexpected.length = 0;
    this.errors = [];
    this.maxInFlight = 0;
  }

  private sendError(res: ServerResponse, err: InjectedError): void {
    const headers: Record<string, string> = {};
    if (err.retryAfter !== undefined) headers['retry-after'] = String(err.retryAfter);
    if (err.retryAfterMs !== undefined) headers['retry-after-ms'] = String(err.retryAfterMs);
    send(res, err.status, err.body ?? { error: { message: `injected ${err.status}`, type: 'injected' } }, headers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const body = await readBody(req);
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      this.unexpected.push({ method: req.method ?? '?', path: req.url ?? '' });
      return send(res, 500, { error: { message: `fake OpenAI: unexpected ${req.method} ${req.url}`, type: 'unexpected_call' } });
    }
    let parsed: any;
    try {
      parsed = JSON.parse(body);
    } catch {
      this.unexpected.push({ method: 'POST', path: `${path} (invalid JSON body)` });
      return send(res, 400, { error: { message: 'invalid JSON', type: 'invalid_request_error' } });
    }
    const chat: FakeChatRequest = {
      model: parsed.model,
      messages: (parsed.messages ?? []).map((m: any) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) })),
      temperature: parsed.temperature,
      max_tokens: parsed.max_tokens,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      at: Date.now(),
    };
    this.requests.push(chat);
    // In flight as the client sees it: until we answer or the client hangs up (timeout).
    let open = true;
    const done = () => {
      if (open) {
        open = false;
        this.inFlight--;
      }
    };
    res.on('close', done);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const latency = typeof this.opts.latencyMs === 'function' ? this.opts.latencyMs(chat) : (this.opts.latencyMs ?? 0);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const err = this.errors.shift();
      if (err) return this.sendError(res, err);
      const reply = await (this.opts.behaviour ?? echo)(chat);
      if (typeof reply === 'object' && 'error' in reply) return this.sendError(res, reply.error);
      const r = typeof reply === 'string' ? { content: reply } : reply;
      const promptTokens = r.promptTokens ?? chat.messages.reduce((s, m) => s + countTokens(m.content), 0);
      const completionTokens = r.completionTokens ?? countTokens(r.content);
      send(res, 200, {
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: chat.model,
        choices: [{ index: 0, message: { role: 'assistant', content: r.content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      });
    } finally {
      done();
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // The client may have given up (timeout test): writing to a closed socket is a no-op, not an error.
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
