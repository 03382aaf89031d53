/**
 * With an app id the adapter authenticates every request: no Authorization header is an
 * immediate 401 (no token, so nothing to fetch OpenID metadata for) and the bot never runs.
 * Without one, production refuses to start.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamsChannel } from '../../../src/channels/teams';
import { createConversation } from '../../../src/conversation/handlers';
import { createHttpApp } from '../../../src/http/app';
import { silentLogger } from '../../../src/logger';
import { useTestContext } from '../../support/context';
import { FakeBotConnector } from '../../support/fakeBotConnector';
import { personalMessage } from './support/activities';
import { countAll, newSender } from './support/harness';

const t = useTestContext();
const fake = new FakeBotConnector();
let server: Server;
let url = '';

beforeAll(async () => {
  await fake.start();
  const channel = createTeamsChannel({
    ctx: t.ctx,
    conversation: createConversation({ ctx: t.ctx }),
    config: { appId: '11111111-2222-4333-8444-555555555555', appPassword: 'not-a-real-secret', appType: 'MultiTenant' },
    logger: silentLogger,
    production: true,
  });
  expect(channel.anonymous).toBe(false);
  server = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/api/messages', handler: channel.handler }] }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fake.stop();
});

describe('Teams authentication', () => {
  it('rejects an activity without a Bot Framework token with 401, and does nothing', async () => {
    const before = await countAll(t);
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined); // botbuilder logs the refusal itself
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(fake.serviceUrl, newSender(), 'help')) });
      expect(res.status).toBe(401);
    } finally {
      spy.mockRestore();
    }
    expect(fake.calls).toHaveLength(0);
    expect(fake.unexpected).toHaveLength(0);
    expect(await countAll(t)).toEqual(before);
  });

  it('refuses to start in production without an app id', () => {
    expect(() =>
      createTeamsChannel({ ctx: t.ctx, conversation: createConversation({ ctx: t.ctx }), config: { appType: 'MultiTenant' }, logger: silentLogger, production: true }),
    ).toThrow(/MicrosoftAppId is required/);
  });
});
