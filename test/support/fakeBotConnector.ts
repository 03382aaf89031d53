/**
 * A local stand-in for the Bot Connector service Teams bots talk to (the activity's serviceUrl),
 * speaking its REST wire format (v3):
 *   POST /v3/conversations/{id}/activities              send to a conversation   -> { id }
 *   POST /v3/conversations/{id}/activities/{replyToId}  reply to an activity      -> { id }
 *   PUT  /v3/conversations/{id}/activities/{activityId} update an activity        -> { id }
 *   POST /v3/conversations                              create a conversation     -> { id, activityId? }
 *   GET  /v3/conversations/{id}/members/{userId}        one member (TeamsInfo.getMember)
 * Every call is recorded. Anything else is answered 404, recorded in `unexpected`, and the
 * harness fails the test. `throttle(n)` makes the next n sends answer 429 (rate-limit tests).
 * Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorOp = 'send' | 'reply' | 'update' | 'createConversation' | 'getMember';

export interface ConnectorCall {
  op: ConnectorOp;
  method: string;
  path: string;
  conversationId?: string;
  /** replyToId for replies, the updated activity's id for updates. */
  activityId?: string;
  body: any;
  authorization?: string;
  status: number;
}

export interface UnexpectedCall {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  readonly unexpected: UnexpectedCall[] = [];
  /** Members by user id (the 29:... id Teams uses in `from.id`). */
  readonly members = new Map<string, FakeMember>();
  private throttled = 0;
  private retryAfterSeconds?: number;
  private counter = 0;
  private server?: Server;
  private base = '';

  /** The serviceUrl to put on activities (ends with /). */
  get serviceUrl(): string {
    return `${this.base}/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'FakeFailure', message: String(e) } }));
      });
    });
    this.server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => this.server!.once('listening', () => resolve()));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `n` sends/replies/updates answer 429 Too Many Requests. */
  throttle(n: number, retryAfterSeconds?: number): void {
    this.throttled = n;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  reset(): void {
    this.calls.length = 0;
    this.unexpected.length = 0;
    this.throttled = 0;
  }

  callsOf(op: ConnectorOp): ConnectorCall[] {
    return this.calls.filter((c) => c.op === op && c.status < 300);
  }

  /** Sends and replies that were accepted (a 429 is recorded but not delivered). */
  delivered(): ConnectorCall[] {
    return this.calls.filter((c) => (c.op === 'send' || c.op === 'reply') && c.status < 300);
  }

  private nextId(): string {
    this.counter += 1;
    return `1700000000${String(this.counter).padStart(3, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const body = await readJson(req);
    const method = req.method ?? 'GET';
    const authorization = req.headers.authorization;
    const answer = (op: ConnectorOp, status: number, payload: unknown, ids: { conversationId?: string; activityId?: string } = {}) => {
      this.calls.push({ op, method, path: url.pathname, body, authorization, status, ...ids });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status === 429 && this.retryAfterSeconds !== undefined) headers['retry-after'] = String(this.retryAfterSeconds);
      res.writeHead(status, headers);
      res.end(JSON.stringify(payload));
    };
    const throttledNow = () => {
      if (this.throttled <= 0) return false;
      this.throttled -= 1;
      return true;
    };
    const tooMany = { error: { code: 'Throttled', message: 'Too many requests' } };

    if (parts[0] === 'v3' && parts[1] === 'conversations') {
      const conversationId = parts[2];
      if (method === 'POST' && parts.length === 2) {
        return answer('createConversation', 201, { id: `a:fake-personal-${this.nextId()}`, serviceUrl: this.serviceUrl });
      }
      if (conversationId && parts[3] === 'activities') {
        const activityId = parts[4];
        if (method === 'POST' && !activityId) {
          if (throttledNow()) return answer('send', 429, tooMany, { conversationId });
          return answer('send', 201, { id: this.nextId() }, { conversationId });
        }
        if (method === 'POST' && activityId && parts.length === 5) {
          if (throttledNow()) return answer('reply', 429, tooMany, { conversationId, activityId });
          return answer('reply', 201, { id: this.nextId() }, { conversationId, activityId });
        }
        if (method === 'PUT' && activityId) {
          if (throttledNow()) return answer('update', 429, tooMany, { conversationId, activityId });
          return answer('update', 200, { id: activityId }, { conversationId, activityId });
        }
      }
      if (method === 'GET' && conversationId && parts[3] === 'members' && parts[4]) {
        const member = this.members.get(parts[4]);
        if (member) return answer('getMember', 200, member, { conversationId });
        return answer('getMember', 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not in this conversation' } }, { conversationId });
      }
    }
    this.unexpected.push({ method, path: url.pathname, body });
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'UnexpectedCall', message: `${method} ${url.pathname}` } }));
  }

  /** Waits until `n` calls of the operation were accepted. */
  async waitFor(op: ConnectorOp, n = 1, timeoutMs = 3000): Promise<ConnectorCall[]> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const found = this.callsOf(op);
      if (found.length >= n) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`expected ${n} ${op} call(s) to the Bot Connector, saw ${this.callsOf(op).length}`);
  }
}
