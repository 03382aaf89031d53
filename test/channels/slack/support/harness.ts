/**
 * The Slack channel under test: the real Bolt app mounted in the real HTTP app on 127.0.0.1:0,
 * the real conversation (createConversation) on the real database (one per test file), and a
 * fake Slack Web API that fails the test on any method it was not told to expect. Requests are
 * signed exactly as Slack signs them.
 */
import { REFUSAL_AUDIT_ACTION } from '../../../../src/conversation/handlers/auditRefusal';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildContext } from '../../../../src/app/context';
import { createSlackChannel, type SlackChannel } from '../../../../src/channels/slack';
import { createConversation, type HandlerDeps } from '../../../../src/conversation/handlers';
import { InProcessEventBus } from '../../../../src/domain/eventBus';
import type { DomainEvent } from '../../../../src/domain/events';
import type { Policy } from '../../../../src/domain/policy';
import type { Person } from '../../../../src/domain/types';
import { createHttpApp } from '../../../../src/http/app';
import { silentLogger } from '../../../../src/logger';
import { loadPolicy } from '../../../../src/playbooks';
import { TestClock } from '../../../support/clock';
import type { TestContext } from '../../../support/context';
import { useTestDatabase } from '../../../support/db';
import { FakeSlackApi } from '../../../support/fakeSlackApi';
import { TEST_SIGNING_SECRET } from '../../../support/slackSigning';
import { fixtureChange } from '../../../support/changes';

export interface SlackHarness {
  t: TestContext;
  fake: FakeSlackApi;
  channel: SlackChannel;
  /** POST target: http://127.0.0.1:PORT/slack/events */
  url: string;
}

export interface SlackHarnessOptions {
  /** Changes the default playbooks for this file (e.g. an organisation with many RACI areas). */
  policy?: (p: Policy) => Policy;
  /** Features the conversation gets beside the context (e.g. evidence packs). */
  conversationDeps?: (ctx: TestContext['ctx']) => Partial<Omit<HandlerDeps, 'ctx'>>;
}

export const INCIDENT_CHANNEL = 'C0INCIDENTS';
export const GOVERNANCE_CHANNEL = 'C0GOVERN';

export function useSlackHarness(opts: SlackHarnessOptions = {}): SlackHarness {
  const db = useTestDatabase();
  const t: TestContext = { ctx: undefined as unknown as TestContext['ctx'], clock: new TestClock(), events: [] as DomainEvent[] };
  const h = { t, fake: new FakeSlackApi(), channel: undefined as unknown as SlackChannel, url: '' };
  // Failures the conversation did not expect: the person saw an apology, the test must fail.
  const unexpected: unknown[] = [];
  let server: Server | undefined;
  beforeAll(async () => {
    const bus = new InProcessEventBus();
    bus.on((e) => {
      t.events.push(e);
    });
    const policy = opts.policy ? opts.policy(loadPolicy()) : loadPolicy();
    t.ctx = await buildContext({ conn: db.conn, policy, clock: t.clock, events: bus });
    await h.fake.start();
    h.channel = createSlackChannel({
      // What these tests check must not depend on how loaded the machine is: the saturated-loop floor is tested in busy.test.ts.
      busy: { maxLoopUtilization: 1 },
      ctx: t.ctx,
      conversation: createConversation({ ...opts.conversationDeps?.(t.ctx), ctx: t.ctx, onUnexpectedError: (e) => unexpected.push(e) }),
      config: {
        signingSecret: TEST_SIGNING_SECRET,
        botToken: 'xoxb-test-token',
        socketMode: false,
        incidentChannel: INCIDENT_CHANNEL,
        governanceChannel: GOVERNANCE_CHANNEL,
        botId: 'BBOT',
        botUserId: 'UBOT',
      },
      logger: silentLogger,
      clientOptions: { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const app = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/', handler: h.channel.router }] });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    h.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterEach(() => {
    // Any Web API method the test did not expect fails it, as does an unexpected failure.
    const calls = [...h.fake.unexpected];
    const failures = unexpected.splice(0);
    h.fake.reset();
    if (calls.length) throw new Error(`unexpected Slack Web API calls: ${calls.map((c) => c.method).join(', ')}`);
    if (failures.length) throw new Error(`unexpected conversation failures: ${failures.map((e) => (e instanceof Error ? e.stack : String(e))).join('\n')}`);
  });
  afterAll(async () => {
    await h.channel?.stop();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await h.fake.stop();
  });
  return h;
}

let seq = 0;
/** A person as the domain stores them (people.create: identities are unique keys). */
export async function addPerson(t: TestContext, p: Partial<Person> & { id: string; roles: string[] }): Promise<Person> {
  seq += 1;
  return (await t.ctx.repos.people.create({ name: p.id, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)), ...p }, fixtureChange())).record;
}

/**
 * Documents per collection, to prove a rejected request wrote nothing. The history's refusal
 * entries are left out: a refused decision is audited (that is its only write).
 */
export async function countAll(t: TestContext): Promise<Record<string, number>> {
  const db = t.ctx.conn.db!;
  const out: Record<string, number> = {};
  for (const c of await db.listCollections().toArray()) out[c.name] = await db.collection(c.name).countDocuments(c.name === 'history' ? { action: { $ne: REFUSAL_AUDIT_ACTION } } : {});
  return out;
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
