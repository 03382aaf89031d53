/**
 * Production is production however it is started: `npm run start:prod` sets NODE_ENV, the demo
 * organisation is refused there even when asked for, PUBLIC_URL is required (links and the
 * console cookie's Secure flag follow it), and Teams neither runs anonymously nor serves any
 * tenant that installs it.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEMO_SEED_REFUSED, DemoSeedRefused } from '../../src/app/demoSeedGuard';
import { seedModule } from '../../src/app/seed.module';
import { createTeamsChannel } from '../../src/channels/teams';
import { ConfigError, loadConfig } from '../../src/config';
import { createConversation } from '../../src/conversation/handlers';
import { silentLogger } from '../../src/logger';
import type { ModuleContext } from '../../src/server/module';
import { useTestContext } from '../support/context';

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const PROD = { NODE_ENV: 'production', MONGODB_URI: 'mongodb://db.internal:27017', CONSOLE_ENABLED: 'false', AUDIT_SIGNING_KEY: 'a-long-random-audit-signing-key-0123456789', PUBLIC_URL: 'https://steward.example.com' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TEAMS = { TEAMS_ENABLED: 'true', MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

const t = useTestContext();

describe('npm run start:prod', () => {
  it('runs the built server with NODE_ENV=production, whatever the shell had', async () => {
    // The project's own package.json, with a dist/main.js that reports what it was started with.
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-startprod-'));
    try {
      copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
      mkdirSync(path.join(dir, 'dist'));
      writeFileSync(path.join(dir, 'dist/main.js'), 'process.stdout.write(`NODE_ENV=${process.env.NODE_ENV}`);\n');
      const env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir, NODE_ENV: 'development' };
      const { stdout } = await exec('npm', ['run', '--silent', 'start:prod'], { cwd: dir, env, timeout: 60_000 });
      expect(stdout.trim()).toBe('NODE_ENV=production');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the demo seed in production', () => {
  it('STEWARD_SEED_DEMO=true is a configuration error naming the variable', () => {
    expect(problemsOf({ ...PROD, STEWARD_SEED_DEMO: 'true' })).toEqual([expect.stringMatching(/^STEWARD_SEED_DEMO: the demo organisation is never seeded in production/)]);
    expect(loadConfig({ ...PROD, STEWARD_SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('the seed module refuses to run in production even when enabled, and writes nothing', async () => {
    const config = { ...loadConfig(PROD), seedDemo: true };
    const started = Promise.resolve(seedModule.start({ config, logger: silentLogger, domain: async () => t.ctx } as unknown as ModuleContext));
    await expect(started).rejects.toBeInstanceOf(DemoSeedRefused);
    expect(await t.ctx.repos.people.list()).toEqual([]);
  });

  it('`npm run seed` refuses in production with a clear message, before touching any database', async () => {
    const env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? ROOT, NODE_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1:1/never' };
    const run = exec(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/seed.ts'], { cwd: ROOT, env, timeout: 60_000 });
    const failure = await run.then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain(DEMO_SEED_REFUSED);
  }, 90_000);
});

describe('PUBLIC_URL in production', () => {
  it('is required, with a message saying what it is for', () => {
    const { PUBLIC_URL: _omit, ...withoutUrl } = PROD;
    expect(problemsOf(withoutUrl)).toEqual([expect.stringMatching(/^PUBLIC_URL: required in production \(the https URL/)]);
  });

  it('http:// is allowed but warned about (the console cookie cannot be Secure)', () => {
    expect(loadConfig({ ...PROD, PUBLIC_URL: 'http://steward.internal' }).warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^PUBLIC_URL is http:\/\/: the console cookie is sent without Secure/)]),
    );
    expect(loadConfig(PROD).warnings.filter((w) => w.startsWith('PUBLIC_URL'))).toEqual([]);
  });
});

describe('Teams tenants and anonymous mode', () => {
  it('a multi-tenant app in production needs TEAMS_ALLOWED_TENANTS; the list is kept lower-cased', () => {
    expect(problemsOf({ ...PROD, ...TEAMS })).toEqual([expect.stringMatching(/^TEAMS_ALLOWED_TENANTS: required when MicrosoftAppType=MultiTenant/)]);
    const c = loadConfig({ ...PROD, ...TEAMS, TEAMS_ALLOWED_TENANTS: ` ${TENANT.toUpperCase()} , ${TENANT}` });
    expect(c.teams.allowedTenants).toEqual([TENANT]);
    expect(problemsOf({ ...PROD, ...TEAMS, TEAMS_ALLOWED_TENANTS: 'contoso.onmicrosoft.com' })).toEqual([
      "TEAMS_ALLOWED_TENANTS: expected a comma-separated list of Entra ID tenant ids (GUIDs), got 'contoso.onmicrosoft.com'",
    ]);
  });

  it('a single-tenant app serves its own tenant only', () => {
    const single = { ...PROD, ...TEAMS, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT };
    expect(loadConfig(single).teams.allowedTenants).toEqual([TENANT]);
    expect(problemsOf({ ...single, TEAMS_ALLOWED_TENANTS: '0b0b0b0b-1111-4222-8333-444444444444' })).toEqual([
      expect.stringMatching(/^TEAMS_ALLOWED_TENANTS: MicrosoftAppType=SingleTenant serves its own tenant .* only; remove 0b0b0b0b/),
    ]);
  });

  it('anonymous Teams needs TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING, warns loudly, and is refused in production', () => {
    const dev = { TEAMS_ENABLED: 'true' };
    expect(loadConfig(dev).warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^MicrosoftAppId: required when Teams is enabled .*TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING=true/)]));
    expect(loadConfig({ ...dev, TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING: 'true' }).warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/Teams requests are NOT authenticated/)]),
    );
    expect(problemsOf({ ...PROD, ...TEAMS, TEAMS_ALLOWED_TENANTS: TENANT, TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING: 'true' })).toEqual([
      expect.stringMatching(/^TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING: not allowed in production/),
    ]);
  });

  it('the channel will not start without an app id unless anonymous mode was asked for, and never in production', () => {
    const make = (o: { allowAnonymous?: boolean; production?: boolean }) =>
      createTeamsChannel({ ctx: t.ctx, conversation: createConversation({ ctx: t.ctx }), config: { appType: 'MultiTenant' }, logger: silentLogger, ...o });
    expect(() => make({})).toThrow(/TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING=true/);
    expect(() => make({ allowAnonymous: true, production: true })).toThrow(/MicrosoftAppId is required/);
    expect(make({ allowAnonymous: true }).anonymous).toBe(true);
  });
});

describe('SLACK_ALLOWED_TEAMS', () => {
  it('takes workspace and organisation ids; anything else is named', () => {
    expect(loadConfig({ SLACK_ALLOWED_TEAMS: 't0001, E0GRID ,T0001' }).slack.allowedTeams).toEqual(['T0001', 'E0GRID']);
    expect(problemsOf({ SLACK_ALLOWED_TEAMS: 'acme.slack.com' })).toEqual([expect.stringMatching(/^SLACK_ALLOWED_TEAMS: expected a comma-separated list of Slack workspace/)]);
    expect(loadConfig({}).slack.allowedTeams).toBeUndefined(); // the bot token's workspace, learned at runtime
  });
});
