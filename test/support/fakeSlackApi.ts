/**
 * A local stand-in for Slack's Web API (and for response_url), speaking its wire format:
 * WebClient POSTs `application/x-www-form-urlencoded` (structured args as JSON strings) to
 * `${slackApiUrl}${method}` with the token in Authorization; Slack answers `{ ok: true, ... }`.
 *
 * A test says which methods it expects (`expect`); any other method is answered
 * `{ ok: false, error: 'unexpected_method' }`, recorded, and `verify()` fails the test.
 * Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  /** This fake's base URL (for answers that point back at it, like upload_url). */
  base?: string;
}

/** Bytes POSTed to an upload_url from files.getUploadURLExternal. */
export interface FileUpload {
  id: string;
  bytes: Buffer;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

type Answer = Record<string, unknown> | ((args: Record<string, unknown>, call: ApiCall) => Record<string, unknown>);

/** Slack's shape for the answers tests rarely care about. */
const DEFAULTS: Record<string, Answer> = {
  'chat.postMessage': (args) => ({ channel: args.channel, ts: nextTs(), message: { text: args.text } }),
  'chat.postEphemeral': () => ({ message_ts: nextTs() }),
  'chat.update': (args) => ({ channel: args.channel, ts: args.ts, text: args.text }),
  'conversations.open': (args) => ({ channel: { id: `D${String(args.users ?? 'X').replace(/^U/, '')}` } }),
  'views.open': (args) => ({ view: { id: `V${nextTs().replace('.', '')}`, ...(parseMaybe(args.view) as object) } }),
  'views.publish': (args) => ({ view: { id: `VH${nextTs().replace('.', '')}`, ...(parseMaybe(args.view) as object) } }),
  'views.update': (args) => ({ view: parseMaybe(args.view) }),
  'auth.test': () => ({ user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001' }),
  // files.uploadV2 = getUploadURLExternal, a POST of the bytes to upload_url, completeUploadExternal.
  'files.getUploadURLExternal': (args, call) => ({ upload_url: `${call.base}/upload/F${nextTs().replace('.', '')}`, file_id: `F${nextTs().replace('.', '')}`, filename: args.filename }),
  'files.completeUploadExternal': (args) => ({ files: (parseMaybe(args.files) as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title })) }),
};

let tsCounter = 0;
function nextTs(): string {
  tsCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
}

function parseMaybe(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = parseMaybe(v);
  return out;
}

export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly unexpected: ApiCall[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly uploads: FileUpload[] = [];
  private expected = new Map<string, Answer>();
  private server?: Server;
  private base = '';

  /** Base for WebClient's `slackApiUrl` (ends with /api/). */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** A response_url this fake serves (Slack's are https://hooks.slack.com/commands/...). */
  responseUrl(id: string): string {
    return `${this.base}/commands/${id}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (e: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: String(e) }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Allows a method; the answer defaults to Slack's usual `{ ok: true, ... }` shape. */
  expect(method: string, answer?: Answer): this {
    this.expected.set(method, answer ?? DEFAULTS[method] ?? {});
    return this;
  }

  /** Forgets calls and expectations between tests. */
  reset(): void {
    this.calls.length = 0;
    this.unexpected.length = 0;
    this.responseUrlPosts.length = 0;
    this.uploads.length = 0;
    this.expected.clear();
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Throws (failing the test) if the app called a method the test did not expect. */
  verify(): void {
    if (this.unexpected.length) {
      throw new Error(`unexpected Slack Web API calls: ${this.unexpected.map((c) => c.method).join(', ')}`);
    }
  }

  /** Resolves once `predicate` holds (work after ack() is asynchronous). */
  async waitFor<T>(predicate: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = predicate();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ') || 'none'}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  waitForCall(method: string, count = 1, timeoutMs?: number): Promise<ApiCall[]> {
    return this.waitFor(() => {
      const c = this.callsOf(method);
      return c.length >= count ? c : undefined;
    }, `${count} × ${method}`, timeoutMs);
  }

  waitForResponseUrl(count = 1, timeoutMs?: number): Promise<ResponseUrlPost[]> {
    return this.waitFor(() => (this.responseUrlPosts.length >= count ? this.responseUrlPosts : undefined), `${count} response_url POST(s)`, timeoutMs);
  }

  private async handle(req: IncomingMessage): Promise<Record<string, unknown>> {
    const url = new URL(req.url ?? '/', this.base);
    const bytes = await readBytes(req);
    if (url.pathname.startsWith('/upload/')) {
      this.uploads.push({ id: url.pathname.slice('/upload/'.length), bytes });
      return { ok: true };
    }
    const raw = bytes.toString('utf8');
    if (url.pathname.startsWith('/commands/')) {
      this.responseUrlPosts.push({ id: url.pathname.slice('/commands/'.length), body: parseArgs(raw, req.headers['content-type']) });
      return { ok: true };
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const call: ApiCall = { method, args, token: auth?.replace(/^Bearer /, '') ?? (args.token as string | undefined), base: this.base };
    // auth.test is how every Slack app learns its bot and workspace (the team allow-list defaults
    // to the bot token's workspace): always answered, never an unexpected call.
    const answer = this.expected.get(method) ?? (method === 'auth.test' ? DEFAULTS[method] : undefined);
    if (!answer) {
      this.unexpected.push(call);
      return { ok: false, error: 'unexpected_method' };
    }
    this.calls.push(call);
    const body = typeof answer === 'function' ? answer(args, call) : answer;
    return { ok: true, ...body };
  }
}
