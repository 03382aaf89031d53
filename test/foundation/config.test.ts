import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected loadConfig to refuse this environment');
}

const PROD_MIN = { NODE_ENV: 'production', MONGODB_URI: 'mongodb://db.internal:27017', CONSOLE_ENABLED: 'false' };

describe('loadConfig defaults', () => {
  it('runs development with no configuration at all', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(c.role).toBe('all');
    expect(c.mongodb).toEqual({ uri: undefined, dbName: 'steward' });
    expect(c.slack.enabled).toBe(false);
    expect(c.teams.enabled).toBe(false);
    expect(c.teams.appType).toBe('MultiTenant');
    expect(c.console.enabled).toBe(true);
    expect(c.seedDemo).toBe(true);
    expect(c.playbooksDir).toBe('playbooks');
    expect(c.evalMaxConcurrencyPerEndpoint).toBe(4);
    expect(c.euAiActDates).toBe('original');
    expect(c.warnings).toEqual([]);
  });

  it('uses production defaults: listen on all interfaces, console and demo seed off', () => {
    const c = loadConfig(PROD_MIN);
    expect(c.host).toBe('0.0.0.0');
    expect(c.console.enabled).toBe(false);
    expect(c.seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://x' }).console.enabled).toBe(false);
  });

  it('treats an empty value as unset (FOO= in a compose file)', () => {
    expect(loadConfig({ PORT: '', STEWARD_ROLE: '  ' })).toMatchObject({ port: 3000, role: 'all' });
  });

  it('parses explicit values', () => {
    const c = loadConfig({
      NODE_ENV: 'test',
      PORT: '8080',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://steward.example.com/',
      STEWARD_ROLE: 'worker',
      LOG_LEVEL: 'debug',
      MONGODB_URI: 'mongodb+srv://u:p@cluster0.example.net/?retryWrites=true',
      MONGODB_DB: 'steward_prod',
      CONSOLE_ENABLED: 'off',
      STEWARD_SEED_DEMO: 'yes',
      EVAL_MAX_CONCURRENCY_PER_ENDPOINT: '8',
      EU_AI_ACT_DATES: 'omnibus',
      PLAYBOOKS_DIR: '/etc/steward/playbooks',
    });
    expect(c).toMatchObject({
      env: 'test',
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'https://steward.example.com',
      role: 'worker',
      logLevel: 'debug',
      mongodb: { uri: 'mongodb+srv://u:p@cluster0.example.net/?retryWrites=true', dbName: 'steward_prod' },
      console: { enabled: false },
      seedDemo: true,
      evalMaxConcurrencyPerEndpoint: 8,
      euAiActDates: 'omnibus',
      playbooksDir: '/etc/steward/playbooks',
    });
  });

  it('enables a channel when its credentials are present, or when explicitly enabled', () => {
    const slack = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_INCIDENT_CHANNEL: 'C1' }).slack;
    expect(slack).toMatchObject({ enabled: true, socketMode: false, incidentChannel: 'C1' });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({ enabled: true, socketMode: true });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_ENABLED: 'false' }).slack.enabled).toBe(false);
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }).teams.enabled).toBe(true);
    expect(loadConfig({ TEAMS_ENABLED: 'true' }).teams.enabled).toBe(true);
  });

  it('warns (does not refuse) about a half-configured channel outside production', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(c.slack.enabled).toBe(true);
    expect(c.warnings).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET: required/)]);
  });

  it('lists every variable it reads', () => {
    expect(CONFIG_VARIABLES).toEqual(
      expect.arrayContaining(['NODE_ENV', 'PORT', 'MONGODB_URI', 'SLACK_APP_TOKEN', 'MicrosoftAppType', 'EU_AI_ACT_DATES']),
    );
    // Every variable read is documented in the README's configuration table.
    const readme = require('node:fs').readFileSync(require('node:path').join(__dirname, '../../README.md'), 'utf8') as string;
    const undocumented = CONFIG_VARIABLES.filter((name: string) => !readme.includes(`| \`${name}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('loadConfig refusals', () => {
  it('reports one message per malformed variable, naming it and what is expected', () => {
    const problems = problemsOf({
      PORT: 'abc',
      NODE_ENV: 'prod',
      STEWARD_ROLE: 'both',
      LOG_LEVEL: 'verbose',
      PUBLIC_URL: 'steward.example.com',
      MONGODB_DB: 'my db',
      CONSOLE_ENABLED: 'maybe',
      MicrosoftAppType: 'multitenant',
      EVAL_MAX_CONCURRENCY_PER_ENDPOINT: '0',
      EU_AI_ACT_DATES: 'amended',
    });
    expect(problems).toHaveLength(10);
    expect(problems).toEqual(
      expect.arrayContaining([
        "PORT: expected an integer 1-65535, got 'abc'",
        "NODE_ENV: expected one of development, test, production, got 'prod'",
        "STEWARD_ROLE: expected one of web, worker, all, got 'both'",
        "LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got 'verbose'",
        expect.stringMatching(/^PUBLIC_URL: expected an http\(s\) URL/),
        expect.stringMatching(/^MONGODB_DB: expected a database name/),
        "CONSOLE_ENABLED: expected true or false, got 'maybe'",
        "MicrosoftAppType: expected one of MultiTenant, SingleTenant, UserAssignedMSI, got 'multitenant'",
        "EVAL_MAX_CONCURRENCY_PER_ENDPOINT: expected an integer 1-64, got '0'",
        "EU_AI_ACT_DATES: expected one of original, omnibus, got 'amended'",
      ]),
    );
  });

  it('rejects out-of-range ports and never echoes a secret', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual(["PORT: expected an integer 1-65535, got '70000'"]);
    const [msg] = problemsOf({ MONGODB_URI: 'postgres://admin:hunter2@db' });
    expect(msg).toMatch(/^MONGODB_URI: expected a connection string starting with mongodb:\/\//);
    expect(msg).not.toContain('hunter2');
  });

  it('refuses production without MONGODB_URI', () => {
    expect(problemsOf({ NODE_ENV: 'production', CONSOLE_ENABLED: 'false' })).toEqual([
      expect.stringMatching(/^MONGODB_URI: required in production/),
    ]);
  });

  it('refuses production with an enabled channel that lacks credentials', () => {
    expect(problemsOf({ ...PROD_MIN, SLACK_ENABLED: 'true' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: required/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required/),
    ]);
    expect(problemsOf({ ...PROD_MIN, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET: required/)]);
    expect(problemsOf({ ...PROD_MIN, MicrosoftAppId: 'app' })).toEqual([expect.stringMatching(/^MicrosoftAppPassword: required/)]);
    expect(problemsOf({ ...PROD_MIN, TEAMS_ENABLED: 'true', MicrosoftAppType: 'SingleTenant' })).toEqual([
      expect.stringMatching(/^MicrosoftAppId: required/),
      expect.stringMatching(/^MicrosoftAppPassword: required/),
      expect.stringMatching(/^MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant/),
    ]);
  });

  it('starts production when each enabled channel has its credentials', () => {
    const c = loadConfig({
      ...PROD_MIN,
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_BOT_TOKEN: 'xoxb-1',
      MicrosoftAppId: 'app',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: 'tenant',
    });
    expect(c.slack.enabled && c.teams.enabled).toBe(true);
    // Socket Mode authenticates with the app token instead of request signatures.
    expect(loadConfig({ ...PROD_MIN, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.socketMode).toBe(true);
  });

  it('enables the production console only with a long enough CONSOLE_AUTH_TOKEN', () => {
    expect(problemsOf({ ...PROD_MIN, CONSOLE_ENABLED: 'true' })).toEqual([expect.stringMatching(/^CONSOLE_AUTH_TOKEN: required/)]);
    expect(problemsOf({ ...PROD_MIN, CONSOLE_ENABLED: 'true', CONSOLE_AUTH_TOKEN: 'short' })).toEqual([
      'CONSOLE_AUTH_TOKEN: expected at least 16 characters',
    ]);
    const c = loadConfig({ ...PROD_MIN, CONSOLE_ENABLED: 'true', CONSOLE_AUTH_TOKEN: 'a-long-random-console-token' });
    expect(c.console).toEqual({ enabled: true, authToken: 'a-long-random-console-token' });
  });
});
