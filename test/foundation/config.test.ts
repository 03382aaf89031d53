import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditSigningKeyFromEnv, resolveAuditSigningKey } from '../../src/auditSigningKey';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config';
import { applicationDate, loadPolicy } from '../../src/playbooks';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected loadConfig to refuse this environment');
}

const AUDIT_KEY = 'a-long-random-audit-signing-key-0123456789';
const PROD_MIN = { NODE_ENV: 'production', MONGODB_URI: 'mongodb://db.internal:27017', CONSOLE_ENABLED: 'false', AUDIT_SIGNING_KEY: AUDIT_KEY, PUBLIC_URL: 'https://steward.example.com' };

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
    expect(c.euAiActDates).toBeUndefined(); // regulation.yaml decides
    expect(c.console.userTokens).toEqual([]);
    expect(c.warnings).toEqual([]);
  });

  it('uses production defaults: listen on all interfaces, console and demo seed off', () => {
    const c = loadConfig(PROD_MIN);
    expect(c.host).toBe('0.0.0.0');
    expect(c.console.enabled).toBe(false);
    expect(c.seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://x', AUDIT_SIGNING_KEY: AUDIT_KEY, PUBLIC_URL: 'https://s.example.com' }).console.enabled).toBe(false);
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
      EU_AI_ACT_DATES: 'amended',
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
      euAiActDates: 'amended',
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
      EU_AI_ACT_DATES: 'omnibus',
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
        "EU_AI_ACT_DATES: expected one of original, amended, got 'omnibus'",
      ]),
    );
  });

  it('rejects out-of-range ports and never echoes a secret', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual(["PORT: expected an integer 1-65535, got '70000'"]);
    const [msg] = problemsOf({ MONGODB_URI: 'postgres://admin:hunter2@db' });
    expect(msg).toMatch(/^MONGODB_URI: expected a connection string starting with mongodb:\/\//);
    expect(msg).not.toContain('hunter2');
  });

  it('refuses production without MONGODB_URI or AUDIT_SIGNING_KEY', () => {
    expect(problemsOf({ NODE_ENV: 'production', CONSOLE_ENABLED: 'false' })).toEqual([
      expect.stringMatching(/^MONGODB_URI: required in production/),
      expect.stringMatching(/^AUDIT_SIGNING_KEY: required in production \(at least 32 random characters/),
      expect.stringMatching(/^PUBLIC_URL: required in production/),
    ]);
  });

  it('refuses production with an enabled channel that lacks credentials', () => {
    expect(problemsOf({ ...PROD_MIN, SLACK_ENABLED: 'true' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: required/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required/),
    ]);
    expect(problemsOf({ ...PROD_MIN, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET: required/)]);
    expect(problemsOf({ ...PROD_MIN, MicrosoftAppId: 'app' })).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: required/),
      expect.stringMatching(/^TEAMS_ALLOWED_TENANTS: required when MicrosoftAppType=MultiTenant/),
    ]);
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
    expect(c.console).toEqual({ enabled: true, authToken: 'a-long-random-console-token', userTokens: [] });
  });

  it('reports malformed values and production requirements together, malformed first', () => {
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'abc', CONSOLE_ENABLED: 'true', SLACK_ENABLED: 'true' })).toEqual([
      "PORT: expected an integer 1-65535, got 'abc'",
      expect.stringMatching(/^MONGODB_URI: required in production/),
      expect.stringMatching(/^AUDIT_SIGNING_KEY: required in production/),
      expect.stringMatching(/^PUBLIC_URL: required in production/),
      expect.stringMatching(/^SLACK_BOT_TOKEN: required/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required/),
      expect.stringMatching(/^CONSOLE_AUTH_TOKEN: required to enable the web console in production/),
    ]);
    // A malformed required variable is named once, as malformed, not also as missing.
    expect(problemsOf({ NODE_ENV: 'production', CONSOLE_ENABLED: 'false', MONGODB_URI: 'postgres://db', LOG_LEVEL: 'loud' })).toEqual([
      "LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got 'loud'",
      expect.stringMatching(/^MONGODB_URI: expected a connection string/),
      expect.stringMatching(/^AUDIT_SIGNING_KEY: required in production/),
      expect.stringMatching(/^PUBLIC_URL: required in production/),
    ]);
    const err = (() => {
      try {
        loadConfig({ NODE_ENV: 'production', PORT: 'abc' });
      } catch (e) {
        return e as ConfigError;
      }
    })()!;
    expect(err.message.split('\n')).toEqual(['Invalid configuration:', "  - PORT: expected an integer 1-65535, got 'abc'", expect.stringMatching(/^  - MONGODB_URI: required/), expect.stringMatching(/^  - AUDIT_SIGNING_KEY: required/), expect.stringMatching(/^  - PUBLIC_URL: required/)]);
  });
});

describe('CONSOLE_USER_TOKENS', () => {
  const A = 'alpha-personal-token-0001';
  const B = 'bravo-personal-token-0002';
  it('parses email=token pairs, lower-casing the email', () => {
    const c = loadConfig({ CONSOLE_USER_TOKENS: ` Ada@Example.com=${A} , bob@example.com=${B}` });
    expect(c.console.userTokens).toEqual([
      { email: 'ada@example.com', token: A },
      { email: 'bob@example.com', token: B },
    ]);
    // A token may contain '=' (base64 padding): only the first one separates.
    expect(loadConfig({ CONSOLE_USER_TOKENS: `ada@example.com=${A}==` }).console.userTokens).toEqual([{ email: 'ada@example.com', token: `${A}==` }]);
  });
  it('names the variable and the entry for each malformed pair, never echoing a token', () => {
    const problems = problemsOf({
      CONSOLE_USER_TOKENS: [`ada@example.com=${A}`, 'no-separator', `not-an-email=${B}`, 'carol@example.com=short-secret', `ADA@example.com=${B}`, `dan@example.com=${A}`, ''].join(','),
    });
    expect(problems).toEqual([
      'CONSOLE_USER_TOKENS: entry 2: expected email=token',
      "CONSOLE_USER_TOKENS: entry 3: expected an email address before '=', got 'not-an-email'",
      'CONSOLE_USER_TOKENS: entry 4: the token for carol@example.com must be at least 16 characters, without spaces',
      'CONSOLE_USER_TOKENS: entry 5: ada@example.com is listed twice',
      'CONSOLE_USER_TOKENS: entry 6: the token for dan@example.com is already given to someone else',
      'CONSOLE_USER_TOKENS: entry 7: empty (expected email=token, comma-separated)',
    ]);
    for (const p of problems) {
      expect(p).not.toContain('short-secret');
      expect(p).not.toContain(A);
    }
  });
  it('lets production enable the console with personal tokens, the shared token, or both; not neither', () => {
    const personal = loadConfig({ ...PROD_MIN, CONSOLE_ENABLED: 'true', CONSOLE_USER_TOKENS: `ada@example.com=${A}` });
    expect(personal.console).toEqual({ enabled: true, authToken: undefined, userTokens: [{ email: 'ada@example.com', token: A }] });
    const both = loadConfig({ ...PROD_MIN, CONSOLE_ENABLED: 'true', CONSOLE_AUTH_TOKEN: B, CONSOLE_USER_TOKENS: `ada@example.com=${A}` });
    expect(both.console.authToken).toBe(B);
    expect(problemsOf({ ...PROD_MIN, CONSOLE_ENABLED: 'true', CONSOLE_USER_TOKENS: ' ' })).toEqual([
      'CONSOLE_AUTH_TOKEN: required to enable the web console in production (or set CONSOLE_USER_TOKENS)',
    ]);
    // A short shared token is still refused when personal tokens are set too.
    expect(problemsOf({ ...PROD_MIN, CONSOLE_ENABLED: 'true', CONSOLE_AUTH_TOKEN: 'short', CONSOLE_USER_TOKENS: `ada@example.com=${A}` })).toEqual([
      'CONSOLE_AUTH_TOKEN: expected at least 16 characters',
    ]);
  });
});

describe('EU_AI_ACT_DATES', () => {
  // The dates themselves are checked against the reference in src/playbooks/defaultPlaybooks.test.ts.
  const dates = (id: string) => loadPolicy().regulation!.applicationDates.find((d) => d.id === id)!;
  it('is unset by default, so regulation.yaml decides (amended: the law in force)', () => {
    const policy = loadPolicy(undefined, { datesInForce: loadConfig({}).euAiActDates });
    expect(policy.regulation!.datesInForce).toBe('amended');
    expect(applicationDate(policy.regulation, 'annex_iii_high_risk')).toBe(dates('annex_iii_high_risk').amended);
  });
  it('overrides the playbook with the same words, changing the dates that apply', () => {
    expect(dates('annex_iii_high_risk').amended).not.toBe(dates('annex_iii_high_risk').original);
    const amended = loadPolicy(undefined, { datesInForce: loadConfig({ EU_AI_ACT_DATES: 'amended' }).euAiActDates });
    expect(amended.regulation!.datesInForce).toBe('amended');
    expect(applicationDate(amended.regulation, 'annex_iii_high_risk')).toBe(dates('annex_iii_high_risk').amended);
    expect(applicationDate(amended.regulation, 'intimate_imagery_prohibition')).toBe(dates('intimate_imagery_prohibition').amended);
    const original = loadPolicy(undefined, { datesInForce: loadConfig({ EU_AI_ACT_DATES: 'original' }).euAiActDates });
    expect(applicationDate(original.regulation, 'annex_iii_high_risk')).toBe(dates('annex_iii_high_risk').original);
    expect(applicationDate(original.regulation, 'intimate_imagery_prohibition')).toBeUndefined();
  });
});

describe('AUDIT_SIGNING_KEY', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'steward-key-'));
    dirs.push(d);
    return path.join(d, 'data');
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('refuses a short key without echoing it, and carries a good one', () => {
    const [msg] = problemsOf({ AUDIT_SIGNING_KEY: 'hunter2-is-too-short' });
    expect(msg).toMatch(/^AUDIT_SIGNING_KEY: expected at least 32 characters/);
    expect(msg).not.toContain('hunter2');
    expect(loadConfig(PROD_MIN).auditSigningKey).toBe(AUDIT_KEY);
    expect(loadConfig({}).auditSigningKey).toBeUndefined();
  });

  it('uses the configured key, and in production never falls back to a file', () => {
    const dir = tempDir();
    expect(resolveAuditSigningKey({ env: 'production', auditSigningKey: AUDIT_KEY }, dir)).toBe(AUDIT_KEY);
    expect(() => resolveAuditSigningKey({ env: 'production' }, dir)).toThrow(/AUDIT_SIGNING_KEY: required in production/);
    expect(existsSync(dir)).toBe(false);
  });

  it('outside production generates a random key once, private to its owner, and keeps it', () => {
    const dir = tempDir();
    const key = resolveAuditSigningKey({ env: 'development' }, dir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dir, 'audit-signing.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveAuditSigningKey({ env: 'test' }, dir)).toBe(key);
    expect(auditSigningKeyFromEnv({}, dir)).toBe(key);
    expect(readdirSync(dir)).toEqual(['audit-signing.key']); // no temp file left behind
    expect(resolveAuditSigningKey({ env: 'development' }, tempDir())).not.toBe(key);
    // CLIs read only their own variables: a bad one of theirs is refused, production needs it.
    expect(() => auditSigningKeyFromEnv({ AUDIT_SIGNING_KEY: 'short' }, dir)).toThrow(/expected at least 32/);
    expect(() => auditSigningKeyFromEnv({ NODE_ENV: 'production' }, dir)).toThrow(/required in production/);
    expect(auditSigningKeyFromEnv({ NODE_ENV: 'production', AUDIT_SIGNING_KEY: AUDIT_KEY, PORT: 'abc' }, dir)).toBe(AUDIT_KEY);
  });

  it('refuses a key file that holds no usable key rather than signing with it', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'audit-signing.key'), 'short\n');
    expect(() => resolveAuditSigningKey({ env: 'development' }, dir)).toThrow(/does not hold a usable key/);
  });

  it('gives processes that start together one and the same key', async () => {
    const dir = tempDir();
    const script = `const { resolveAuditSigningKey } = require(${JSON.stringify(path.join(__dirname, '../../src/auditSigningKey'))}); process.stdout.write(resolveAuditSigningKey({ env: 'development' }, ${JSON.stringify(dir)}));`;
    const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
    const run = () =>
      new Promise<string>((resolve, reject) => execFile(tsx, ['-e', script], { timeout: 60_000 }, (err, out) => (err ? reject(err) : resolve(out))));
    const keys = await Promise.all(Array.from({ length: 8 }, run));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(readFileSync(path.join(dir, 'audit-signing.key'), 'utf8').trim());
  }, 90_000);
});
