/**
 * process.env, parsed once with zod. Problems are reported together, one line per variable,
 * naming the variable and what it expects (malformed values first, then what production
 * requires), so a misconfigured deployment fails at startup with a readable list instead of
 * later with a stack trace.
 *
 * `loadConfig` is pure (env in, Config out) so tests and tools can call it with any env.
 */
import { DEFAULT_RETENTION, parseRetention, RETENTION_KINDS } from './domain/retention/policy';
import { z } from 'zod';
import { type Config, EU_AI_ACT_DATE_SETS, LOG_LEVELS, NODE_ENVS, type ProxyConfig, type Role, ROLES, type SlackConfig, TEAMS_APP_TYPES, type TeamsConfig } from './configTypes';

export * from './configTypes';
export { AUDIT_KEY_REQUIRED, DEFAULT_SLACK_MAX_IN_FLIGHT, MIN_AUDIT_SIGNING_KEY_LENGTH, MIN_CONSOLE_TOKEN_LENGTH } from './configVariables';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

import { variable, text, oneOf, integer, fraction, flag, httpUrl, mongoUri, DEFAULT_SLACK_MAX_IN_FLIGHT, MIN_CONSOLE_TOKEN_LENGTH, userTokens, MIN_AUDIT_SIGNING_KEY_LENGTH, AUDIT_KEY_REQUIRED, signingKey, idList, GUID, dbName } from './configVariables';

const EnvSchema = z.object({
  NODE_ENV: oneOf(NODE_ENVS),
  PORT: integer(1, 65535),
  HOST: text(),
  PUBLIC_URL: httpUrl(),
  STEWARD_ROLE: oneOf(ROLES),
  LOG_LEVEL: oneOf(LOG_LEVELS),
  MONGODB_URI: mongoUri(),
  MONGODB_DB: dbName(),
  SLACK_ENABLED: flag(),
  SLACK_SIGNING_SECRET: text({ secret: true }),
  SLACK_BOT_TOKEN: text({ secret: true }),
  SLACK_APP_TOKEN: text({ secret: true }),
  SLACK_INCIDENT_CHANNEL: text(),
  SLACK_GOVERNANCE_CHANNEL: text(),
  SLACK_COE_CHANNEL: text(),
  SLACK_ALLOWED_TEAMS: idList('Slack workspace or organisation ids such as T012ABCDEF or E012ABCDEF', /^[TE][A-Z0-9]{2,}$/, (s) => s.toUpperCase()),
  SLACK_API_URL: httpUrl(),
  SLACK_CLIENT_ID: text(),
  SLACK_CLIENT_SECRET: text({ secret: true }),
  SLACK_STATE_SECRET: signingKey(),
  SLACK_TOKEN_ENCRYPTION_KEY: signingKey(),
  SLACK_HOME_TEAM: variable('a Slack workspace or organisation id such as T012ABCDEF or E012ABCDEF', (s) => (/^[TE][A-Z0-9]{2,}$/i.test(s) ? s.toUpperCase() : undefined)),
  HTTPS_PROXY: httpUrl(),
  HTTP_PROXY: httpUrl(),
  NO_PROXY: text(),
  PRIVACY_NOTICE_FILE: text(),
  TERMS_OF_USE_FILE: text(),
  TEAMS_ENABLED: flag(),
  MicrosoftAppId: text(),
  MicrosoftAppPassword: text({ secret: true }),
  MicrosoftAppType: oneOf(TEAMS_APP_TYPES),
  MicrosoftAppTenantId: text(),
  TEAMS_INCIDENT_CONVERSATION_ID: text(),
  TEAMS_GOVERNANCE_CONVERSATION_ID: text(),
  TEAMS_COE_CONVERSATION_ID: text(),
  TEAMS_ALLOWED_TENANTS: idList('Entra ID tenant ids (GUIDs)', GUID, (s) => s.toLowerCase()),
  TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING: flag(),
  CONSOLE_ENABLED: flag(),
  CONSOLE_AUTH_TOKEN: text({ secret: true }),
  CONSOLE_USER_TOKENS: userTokens(),
  PLAYBOOKS_DIR: text(),
  STEWARD_SEED_DEMO: flag(),
  EVAL_MAX_CONCURRENCY_PER_ENDPOINT: integer(1, 64),
  SHUTDOWN_GRACE_SECONDS: integer(5, 3600),
  METRICS_TOKEN: variable(`at least ${MIN_CONSOLE_TOKEN_LENGTH} characters without spaces`, (s) => (s.length >= MIN_CONSOLE_TOKEN_LENGTH && !/\s/.test(s) ? s : undefined), { secret: true }),
  METRICS_PORT: integer(1, 65535),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl(),
  SLACK_MAX_IN_FLIGHT: integer(1, 10000),
  SLACK_BUSY_FLOOR: integer(0, 10000),
  SLACK_BUSY_LOOP_UTILIZATION: fraction(0.1, 1),
  RETENTION_DAYS: variable(`kind=days pairs separated by commas, kinds ${Object.keys(RETENTION_KINDS).join(', ')} (0 keeps for ever)`, (s) => {
    const r = parseRetention(s);
    return 'policy' in r ? r.policy : undefined;
  }),
  EU_AI_ACT_DATES: oneOf(EU_AI_ACT_DATE_SETS),
  AUDIT_SIGNING_KEY: signingKey(),
});

/** The variables Steward reads, in the order the README documents them. */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape) as Array<keyof typeof EnvSchema.shape>;

type Env = z.output<typeof EnvSchema>;

/**
 * Each variable on its own: a malformed one is reported and treated as unset, so the
 * production checks still run on the rest and every problem is listed at once.
 */
function parseEach(env: NodeJS.ProcessEnv): { v: Env; malformed: string[] } {
  const v: Record<string, unknown> = {};
  const malformed: string[] = [];
  for (const [name, schema] of Object.entries(EnvSchema.shape) as [string, z.ZodType][]) {
    const r = schema.safeParse(env[name]);
    if (r.success) v[name] = r.data;
    else malformed.push(...r.error.issues.map((i) => `${name}: ${i.message}`));
  }
  return { v: v as Env, malformed };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { v, malformed } = parseEach(env);
  const problems: string[] = [];
  const warnings: string[] = [];

  const nodeEnv = v.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const port = v.PORT ?? 3000;
  const host = v.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');

  const slackEnabled = v.SLACK_ENABLED ?? Boolean(v.SLACK_SIGNING_SECRET || v.SLACK_BOT_TOKEN || v.SLACK_APP_TOKEN || v.SLACK_CLIENT_ID);
  const slack: SlackConfig = {
    enabled: slackEnabled,
    signingSecret: v.SLACK_SIGNING_SECRET,
    botToken: v.SLACK_BOT_TOKEN,
    appToken: v.SLACK_APP_TOKEN,
    socketMode: Boolean(v.SLACK_APP_TOKEN),
    incidentChannel: v.SLACK_INCIDENT_CHANNEL,
    governanceChannel: v.SLACK_GOVERNANCE_CHANNEL,
    coeChannel: v.SLACK_COE_CHANNEL,
    ...(v.SLACK_ALLOWED_TEAMS ? { allowedTeams: v.SLACK_ALLOWED_TEAMS } : {}),
    // WebClient joins method names to it; Slack's own ends with '/api/'.
    ...(v.SLACK_API_URL ? { apiUrl: `${v.SLACK_API_URL}/` } : {}),
  };
  const slackMissing: string[] = [];
  if (slack.enabled) {
    if (v.SLACK_CLIENT_ID) {
      // Multi-workspace: each installation brings its own token (src/channels/slack/oauth).
      const oauthMissing = [
        !v.SLACK_CLIENT_SECRET && 'SLACK_CLIENT_SECRET: required with SLACK_CLIENT_ID (the app\'s client secret, for OAuth installs)',
        !v.SLACK_STATE_SECRET && `SLACK_STATE_SECRET: required with SLACK_CLIENT_ID (at least ${MIN_AUDIT_SIGNING_KEY_LENGTH} random characters; signs the install's state)`,
        !v.SLACK_TOKEN_ENCRYPTION_KEY && `SLACK_TOKEN_ENCRYPTION_KEY: required with SLACK_CLIENT_ID (at least ${MIN_AUDIT_SIGNING_KEY_LENGTH} random characters; installations' tokens are stored encrypted with it)`,
        slack.socketMode && 'SLACK_APP_TOKEN: OAuth installs (SLACK_CLIENT_ID) need Slack over HTTP; unset SLACK_APP_TOKEN',
        slack.botToken && 'SLACK_BOT_TOKEN: not used with SLACK_CLIENT_ID (each installation has its own token); unset one of them',
      ].filter((m): m is string => Boolean(m));
      // A missing OAuth secret is never only a warning: the install flow cannot run without it.
      problems.push(...oauthMissing);
      if (!oauthMissing.length) {
        slack.oauth = {
          clientId: v.SLACK_CLIENT_ID,
          clientSecret: v.SLACK_CLIENT_SECRET!,
          stateSecret: v.SLACK_STATE_SECRET!,
          tokenEncryptionKey: v.SLACK_TOKEN_ENCRYPTION_KEY!,
          ...(v.SLACK_HOME_TEAM ? { homeTeam: v.SLACK_HOME_TEAM } : {}),
        };
      }
    } else if (!slack.botToken) slackMissing.push('SLACK_BOT_TOKEN: required when Slack is enabled (the bot token, xoxb-...; or SLACK_CLIENT_ID for OAuth installs)');
    // In Socket Mode Slack authenticates the websocket with the app token; requests are not signed.
    if (!slack.signingSecret && !slack.socketMode) {
      slackMissing.push('SLACK_SIGNING_SECRET: required when Slack is enabled over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
    }
  }

  const teams: TeamsConfig = {
    enabled: v.TEAMS_ENABLED ?? Boolean(v.MicrosoftAppId || v.MicrosoftAppPassword),
    appId: v.MicrosoftAppId,
    appPassword: v.MicrosoftAppPassword,
    appType: v.MicrosoftAppType ?? 'MultiTenant',
    tenantId: v.MicrosoftAppTenantId,
    incidentConversationId: v.TEAMS_INCIDENT_CONVERSATION_ID,
    governanceConversationId: v.TEAMS_GOVERNANCE_CONVERSATION_ID,
    coeConversationId: v.TEAMS_COE_CONVERSATION_ID,
    allowAnonymous: v.TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING ?? false,
  };
  const teamsMissing: string[] = [];
  const tenants = teamsTenants(teams, v.TEAMS_ALLOWED_TENANTS, v.MicrosoftAppTenantId);
  if ('problem' in tenants) problems.push(tenants.problem);
  else if (tenants.allowed) teams.allowedTenants = tenants.allowed;
  if (teams.allowAnonymous && production) problems.push('TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING: not allowed in production (every Teams request must carry a Bot Framework token)');
  if (teams.enabled) {
    if (!teams.appId && !teams.allowAnonymous) {
      teamsMissing.push('MicrosoftAppId: required when Teams is enabled (the Azure Bot app id; for local tests without one set TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING=true)');
    }
    if (!teams.appPassword && teams.appType !== 'UserAssignedMSI') {
      teamsMissing.push('MicrosoftAppPassword: required when Teams is enabled (unless MicrosoftAppType=UserAssignedMSI)');
    }
    if (!teams.tenantId && teams.appType !== 'MultiTenant') {
      teamsMissing.push(`MicrosoftAppTenantId: required when MicrosoftAppType=${teams.appType}`);
    }
    // Without a list a multi-tenant bot answers any organisation that installs it.
    if (teams.appType === 'MultiTenant' && !teams.allowedTenants) {
      teamsMissing.push('TEAMS_ALLOWED_TENANTS: required when MicrosoftAppType=MultiTenant (the Entra ID tenant ids allowed to use Steward, comma-separated)');
    }
  }

  const consoleEnabled = v.CONSOLE_ENABLED ?? !production;
  const consoleUsers = v.CONSOLE_USER_TOKENS ?? [];
  if (production) {
    if (!v.MONGODB_URI) problems.push('MONGODB_URI: required in production (a MongoDB 6+ connection string)');
    // The key must live outside the database: whoever can write the database must not be able to re-sign it.
    if (!v.AUDIT_SIGNING_KEY) problems.push(AUDIT_KEY_REQUIRED);
    // Links in messages and the console cookie's Secure flag follow it; a default would be 127.0.0.1.
    if (!v.PUBLIC_URL) problems.push('PUBLIC_URL: required in production (the https URL people and Slack/Teams reach Steward at, e.g. https://steward.example.com)');
    if (v.STEWARD_SEED_DEMO) problems.push('STEWARD_SEED_DEMO: the demo organisation is never seeded in production (it registers made-up people with admin roles); unset it');
    problems.push(...slackMissing, ...teamsMissing);
    if (consoleEnabled && !v.CONSOLE_AUTH_TOKEN && !consoleUsers.length) {
      problems.push('CONSOLE_AUTH_TOKEN: required to enable the web console in production (or set CONSOLE_USER_TOKENS)');
    } else if (consoleEnabled && v.CONSOLE_AUTH_TOKEN && v.CONSOLE_AUTH_TOKEN.length < MIN_CONSOLE_TOKEN_LENGTH) {
      problems.push(`CONSOLE_AUTH_TOKEN: expected at least ${MIN_CONSOLE_TOKEN_LENGTH} characters`);
    }
  } else {
    // Outside production a half-configured channel is reported, not fatal: the rest still runs.
    warnings.push(...slackMissing, ...teamsMissing);
  }
  if (v.METRICS_PORT !== undefined && v.METRICS_PORT === port) problems.push(`METRICS_PORT: must differ from PORT (${port}); it exists to keep /metrics off the public port`);
  // Production never serves an unprotected /metrics on the public port: without a token or a
  // port of its own, /metrics is not served at all (said once at startup).
  const metricsOnPublicPort = v.METRICS_PORT === undefined && (!production || Boolean(v.METRICS_TOKEN));
  if (production && v.METRICS_PORT === undefined && !v.METRICS_TOKEN) {
    warnings.push('METRICS_TOKEN / METRICS_PORT: neither is set, so /metrics is not served (production never serves it unprotected on the public port)');
  }
  if (production && v.PUBLIC_URL?.startsWith('http://')) warnings.push('PUBLIC_URL is http://: the console cookie is sent without Secure; use https in production');
  if (teams.enabled && teams.allowAnonymous && !teams.appId) {
    warnings.push('TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING=true: Teams requests are NOT authenticated; anyone who can reach /api/messages can act as any registered person. Local testing only.');
  }
  // A malformed variable is reported once, as malformed, not again as "required".
  const reported = new Set(malformed.map((m) => m.slice(0, m.indexOf(':'))));
  const all = [...malformed, ...problems.filter((p) => !reported.has(p.slice(0, p.indexOf(':'))))];
  if (all.length) throw new ConfigError(all);

  return {
    env: nodeEnv,
    port,
    host,
    publicUrl: v.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    role: v.STEWARD_ROLE ?? 'all',
    logLevel: v.LOG_LEVEL ?? (nodeEnv === 'test' ? 'error' : 'info'),
    mongodb: { uri: v.MONGODB_URI, dbName: v.MONGODB_DB ?? 'steward' },
    slack,
    teams,
    console: { enabled: consoleEnabled, authToken: v.CONSOLE_AUTH_TOKEN, userTokens: consoleUsers },
    playbooksDir: v.PLAYBOOKS_DIR ?? 'playbooks',
    seedDemo: v.STEWARD_SEED_DEMO ?? nodeEnv === 'development',
    evalMaxConcurrencyPerEndpoint: v.EVAL_MAX_CONCURRENCY_PER_ENDPOINT ?? 4,
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS ?? 30,
    metrics: { ...(v.METRICS_TOKEN ? { token: v.METRICS_TOKEN } : {}), ...(v.METRICS_PORT ? { port: v.METRICS_PORT } : {}), onPublicPort: metricsOnPublicPort },
    ...(v.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: v.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    slackMaxInFlight: v.SLACK_MAX_IN_FLIGHT ?? DEFAULT_SLACK_MAX_IN_FLIGHT,
    slackBusy: { ...(v.SLACK_BUSY_FLOOR !== undefined ? { floor: v.SLACK_BUSY_FLOOR } : {}), ...(v.SLACK_BUSY_LOOP_UTILIZATION !== undefined ? { maxLoopUtilization: v.SLACK_BUSY_LOOP_UTILIZATION } : {}) },
    proxy: proxyVariables(env, v),
    legal: { ...(v.PRIVACY_NOTICE_FILE ? { privacyFile: v.PRIVACY_NOTICE_FILE } : {}), ...(v.TERMS_OF_USE_FILE ? { termsFile: v.TERMS_OF_USE_FILE } : {}) },
    retention: v.RETENTION_DAYS ?? { ...DEFAULT_RETENTION },
    ...(v.EU_AI_ACT_DATES ? { euAiActDates: v.EU_AI_ACT_DATES } : {}),
    ...(v.AUDIT_SIGNING_KEY ? { auditSigningKey: v.AUDIT_SIGNING_KEY } : {}),
    warnings,
  };
}

/**
 * The tenants a Teams app serves. A single-tenant app (SingleTenant, UserAssignedMSI) serves its
 * own MicrosoftAppTenantId only, so a list naming any other tenant is a mistake; a multi-tenant
 * app serves TEAMS_ALLOWED_TENANTS (undefined: any tenant, refused in production by the caller).
 */
function teamsTenants(teams: TeamsConfig, listed: string[] | undefined, ownTenant: string | undefined): { allowed?: string[] } | { problem: string } {
  if (teams.appType === 'MultiTenant') return listed ? { allowed: listed } : {};
  const own = ownTenant?.toLowerCase();
  if (!own) return listed ? { allowed: listed } : {};
  const others = (listed ?? []).filter((t) => t !== own);
  if (others.length) return { problem: `TEAMS_ALLOWED_TENANTS: MicrosoftAppType=${teams.appType} serves its own tenant ${own} only; remove ${others.join(', ')}` };
  return { allowed: [own] };
}

/**
 * The proxy variables as curl and most tools read them: upper case first, then lower case
 * (a lower-case one is checked like its upper-case twin).
 */
function proxyVariables(env: NodeJS.ProcessEnv, v: Env): ProxyConfig {
  const lower = (name: 'HTTPS_PROXY' | 'HTTP_PROXY' | 'NO_PROXY') => {
    const r = EnvSchema.shape[name].safeParse(env[name.toLowerCase()]);
    return r.success ? r.data : undefined;
  };
  const https = v.HTTPS_PROXY ?? lower('HTTPS_PROXY');
  const http = v.HTTP_PROXY ?? lower('HTTP_PROXY');
  const no = v.NO_PROXY ?? lower('NO_PROXY');
  return { ...(https ? { httpsProxy: https } : {}), ...(http ? { httpProxy: http } : {}), ...(no ? { noProxy: no } : {}) };
}

/** Whether this process serves HTTP routes of channels / runs background jobs. */
export const runsWeb = (role: Role): boolean => role === 'web' || role === 'all';
export const runsWorker = (role: Role): boolean => role === 'worker' || role === 'all';

/** AUDIT_SIGNING_KEY alone, checked as loadConfig checks it (for CLIs, which must not refuse over unrelated variables). */
export function auditSigningKeyVariable(env: NodeJS.ProcessEnv): { key?: string; production: boolean } {
  const key = EnvSchema.shape.AUDIT_SIGNING_KEY.safeParse(env.AUDIT_SIGNING_KEY);
  if (!key.success) throw new ConfigError(key.error.issues.map((i) => `AUDIT_SIGNING_KEY: ${i.message}`));
  const nodeEnv = EnvSchema.shape.NODE_ENV.safeParse(env.NODE_ENV);
  return { ...(key.data ? { key: key.data } : {}), production: nodeEnv.success && nodeEnv.data === 'production' };
}
