/**
 * SLACK_API_URL and the proxy variables, through the real Slack channel: Steward's messages go
 * to the configured Web API base (here the fake, standing in for GovSlack or a gateway), through
 * HTTP(S)_PROXY when one is set, straight to the host NO_PROXY names, and everything is read
 * from the environment by loadConfig.
 */
import { buildContext } from '../../../src/app/context';
import { createSlackChannel } from '../../../src/channels/slack';
import { slackAuthorizeUrl } from '../../../src/channels/slack/webApiTransport';
import { loadConfig } from '../../../src/config';
import { createConversation } from '../../../src/conversation/handlers';
import { silentLogger } from '../../../src/logger';
import { loadPolicy } from '../../../src/playbooks';
import { TestClock } from '../../support/clock';
import { useTestDatabase } from '../../support/db';
import { FakeSlackApi } from '../../support/fakeSlackApi';
import { ForwardProxy } from '../../support/forwardProxy';
import { TEST_SIGNING_SECRET } from '../../support/slackSigning';

const db = useTestDatabase();
const fake = new FakeSlackApi();
const proxy = new ForwardProxy();
let ctx: Awaited<ReturnType<typeof buildContext>>;

beforeAll(async () => {
  await fake.start();
  await proxy.start();
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy(), clock: new TestClock() });
});
afterAll(async () => {
  await fake.stop();
  await proxy.stop();
});
beforeEach(() => {
  fake.reset();
  fake.expect('chat.postMessage');
  proxy.targets.length = 0;
});

/** The channel as slack.module.ts builds it from the environment (no test-only client options). */
function channelFrom(env: Record<string, string>) {
  const config = loadConfig({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-env', SLACK_INCIDENT_CHANNEL: 'C0INC', ...env });
  return createSlackChannel({
    // What these tests check must not depend on how loaded the machine is: the saturated-loop floor is tested in busy.test.ts.
    busy: { maxLoopUtilization: 1 },
    ctx,
    conversation: createConversation({ ctx }),
    config: { ...config.slack, proxy: config.proxy, botId: 'B1', botUserId: 'U1' },
    logger: silentLogger,
    clientOptions: { retryConfig: { retries: 0 } },
  });
}

const fakeHost = () => new URL(fake.apiUrl).host;

describe('Slack Web API transport', () => {
  it('SLACK_API_URL: messages go to that Web API, with the bot token', async () => {
    const ch = channelFrom({ SLACK_API_URL: fake.apiUrl });
    await ch.notifier.send({ key: 't-1', to: { channel: 'incidents' }, text: 'hello', card: undefined });
    const [post] = fake.callsOf('chat.postMessage');
    expect(post).toMatchObject({ token: 'xoxb-env', args: { channel: 'C0INC' } });
    expect(proxy.targets).toEqual([]);
  });

  it('HTTP_PROXY: the same message goes through the proxy', async () => {
    const ch = channelFrom({ SLACK_API_URL: fake.apiUrl, HTTP_PROXY: proxy.url });
    await ch.notifier.send({ key: 't-2', to: { channel: 'incidents' }, text: 'hello', card: undefined });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(proxy.targets).toEqual([fakeHost()]);
  });

  it('lower-case http_proxy is honoured too; NO_PROXY sends that host straight', async () => {
    const viaLower = channelFrom({ SLACK_API_URL: fake.apiUrl, http_proxy: proxy.url });
    await viaLower.notifier.send({ key: 't-3', to: { channel: 'incidents' }, text: 'hello', card: undefined });
    expect(proxy.targets).toEqual([fakeHost()]);
    proxy.targets.length = 0;
    const bypass = channelFrom({ SLACK_API_URL: fake.apiUrl, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    await bypass.notifier.send({ key: 't-4', to: { channel: 'incidents' }, text: 'hello', card: undefined });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
    expect(proxy.targets).toEqual([]);
  });

  it('loadConfig: SLACK_API_URL gets its trailing slash; malformed values are named', () => {
    expect(loadConfig({ SLACK_API_URL: 'https://slack-gov.example/api' }).slack.apiUrl).toBe('https://slack-gov.example/api/');
    expect(loadConfig({ HTTPS_PROXY: 'http://proxy.example:3128', NO_PROXY: '.internal' }).proxy).toEqual({ httpsProxy: 'http://proxy.example:3128', noProxy: '.internal' });
    expect(() => loadConfig({ SLACK_API_URL: 'slack-gov' })).toThrow(/SLACK_API_URL: expected an http\(s\) URL/);
    expect(() => loadConfig({ HTTPS_PROXY: 'proxy:3128' })).toThrow(/HTTPS_PROXY: expected an http\(s\) URL/);
  });

  it('the OAuth install page follows SLACK_API_URL to the same host', () => {
    expect(slackAuthorizeUrl('https://slack-gov.example/api/')).toBe('https://slack-gov.example/oauth/v2/authorize');
    expect(slackAuthorizeUrl(undefined)).toBeUndefined();
    expect(slackAuthorizeUrl('https://gateway.example/slack/')).toBeUndefined();
  });

  it('loadConfig: OAuth installs need their secrets, over HTTP, without a fixed bot token', () => {
    const oauth = { SLACK_SIGNING_SECRET: 'x', SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 's'.repeat(32), SLACK_TOKEN_ENCRYPTION_KEY: 'k'.repeat(32) };
    const c = loadConfig(oauth);
    expect(c.slack.enabled).toBe(true);
    expect(c.slack.oauth).toMatchObject({ clientId: '1.2', clientSecret: 'c' });
    expect(c.warnings.filter((w) => w.startsWith('SLACK_BOT_TOKEN'))).toEqual([]);
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(problems({ ...oauth, SLACK_TOKEN_ENCRYPTION_KEY: '' })).toMatch(/SLACK_TOKEN_ENCRYPTION_KEY: required with SLACK_CLIENT_ID/);
    expect(problems({ ...oauth, SLACK_STATE_SECRET: 'short' })).toMatch(/SLACK_STATE_SECRET: expected at least 32 characters/);
    expect(problems({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toMatch(/OAuth installs \(SLACK_CLIENT_ID\) need Slack over HTTP/);
    expect(problems({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_BOT_TOKEN: not used with SLACK_CLIENT_ID/);
  });
});
