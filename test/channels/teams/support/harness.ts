/**
 * The Teams channel under test: the real CloudAdapter (anonymous: no app id, so no tokens) in
 * the real HTTP app on 127.0.0.1:0, the real conversation on the real database, and a fake Bot
 * Connector as every activity's serviceUrl. Any connector call the fake does not implement fails
 * the test, and every Adaptive Card the bot sends or returns is checked against the 1.5 schema.
 */
import { REFUSAL_AUDIT_ACTION } from '../../../../src/conversation/handlers/auditRefusal';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamsChannel, type TeamsChannel } from '../../../../src/channels/teams';
import { createConversation, type HandlerDeps } from '../../../../src/conversation/handlers';
import { createHttpApp } from '../../../../src/http/app';
import { silentLogger } from '../../../../src/logger';
import { useTestContext, type TestContext } from '../../../support/context';
import { FakeBotConnector, type ConnectorCall } from '../../../support/fakeBotConnector';
import { adaptiveCardValidator } from './adaptiveSchema';
import { SYSTEM_ACTOR } from '../../../../src/domain/people/actor';
import { linkIdentity } from '../../../../src/domain/people/linkIdentity';
import type { Person } from '../../../../src/domain/types';
import type { Sender } from './activities';

export const INCIDENT_CONVERSATION_ID = '19:5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d@thread.tacv2';

export interface TeamsHarness {
  t: TestContext;
  fake: FakeBotConnector;
  channel: TeamsChannel;
  /** http://127.0.0.1:PORT/api/messages */
  url: string;
  /** Posts an activity as the Bot Connector would; returns status and parsed body. */
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Adaptive Card schema problems of a card (empty when valid). */
  cardProblems(card: unknown): string[];
}

const validate = adaptiveCardValidator();

/** Every Adaptive Card in a connector call or invoke response body. */
export function cardsIn(body: any): any[] {
  if (!body || typeof body !== 'object') return [];
  if (body.type === 'application/vnd.microsoft.card.adaptive') return [body.value];
  return (body.attachments ?? []).filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a: any) => a.content);
}

/** `conversationDeps`: features the conversation gets beside the context (e.g. evidence packs). */
export function useTeamsHarness(opts: { conversationDeps?: (ctx: TeamsHarness['t']['ctx']) => Partial<Omit<HandlerDeps, 'ctx'>> } = {}): TeamsHarness {
  const t = useTestContext();
  const fake = new FakeBotConnector();
  let server: Server | undefined;
  const h: TeamsHarness = {
    t,
    fake,
    channel: undefined as unknown as TeamsChannel,
    url: '',
    async post(activity, headers = {}) {
      const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      const text = await res.text();
      let body: any = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* plain text body */
      }
      return { status: res.status, body };
    },
    cardProblems: (card) => validate(card),
  };
  beforeAll(async () => {
    await fake.start();
    h.channel = createTeamsChannel({
      ctx: t.ctx,
      conversation: createConversation({ ...opts.conversationDeps?.(t.ctx), ctx: t.ctx }),
      config: { appType: 'MultiTenant', incidentConversationId: INCIDENT_CONVERSATION_ID },
      logger: silentLogger,
      rateLimit: { baseDelayMs: 20, maxDelayMs: 200 },
      allowAnonymous: true,
    });
    const app = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/', handler: h.channel.router }] });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    h.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  });
  afterEach(() => {
    const unexpected = [...fake.unexpected];
    // Every card that went to Teams must be a valid Adaptive Card 1.5.
    const invalid = fake.calls.flatMap((c: ConnectorCall) => cardsIn(c.body).map((card) => validate(card))).filter((p) => p.length);
    fake.reset();
    if (unexpected.length) throw new Error(`unexpected Bot Connector calls: ${unexpected.map((c) => `${c.method} ${c.path}`).join(', ')}`);
    if (invalid.length) throw new Error(`invalid Adaptive Cards sent: ${JSON.stringify(invalid.slice(0, 2))}`);
  });
  afterAll(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await fake.stop();
  });
  return h;
}

let personSeq = 0;
/** A Teams sender with its own ids, and the registered person (optional) behind it. */
export function newSender(name = 'Teams user'): { id: string; aadObjectId: string; name: string; personalConversationId: string } {
  personSeq += 1;
  const n = `${process.pid}${String(personSeq).padStart(4, '0')}`;
  return {
    id: `29:1user${n}`,
    aadObjectId: `00000000-0000-4000-8000-${n.padStart(12, '0').slice(-12)}`,
    name,
    personalConversationId: `a:1personal${n}`,
  };
}

/**
 * Documents per non-empty collection, to prove a rejected request wrote nothing (empty
 * collections are left out: mongoose creates them in the background when a model is first used).
 * The history's refusal entries are left out too: a refused decision is audited (its only write).
 */
export async function countAll(t: TestContext): Promise<Record<string, number>> {
  const db = t.ctx.conn.db!;
  const out: Record<string, number> = {};
  for (const c of await db.listCollections().toArray()) {
    const n = await db.collection(c.name).countDocuments(c.name === 'history' ? { action: { $ne: REFUSAL_AUDIT_ACTION } } : {});
    if (n > 0) out[c.name] = n;
  }
  return out;
}

/** Gives each person a Teams sender and links it to them (as an admin would): senders by person id. */
export async function linkTeamsSenders(t: TestContext, people: Person[], into: Map<string, Sender> = new Map()): Promise<Map<string, Sender>> {
  for (const person of people) {
    const s = newSender(person.name);
    into.set(person.id, s);
    await linkIdentity(t.ctx, { actorId: SYSTEM_ACTOR, personId: person.id, teamsAadObjectId: s.aadObjectId });
  }
  return into;
}
