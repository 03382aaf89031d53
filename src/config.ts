/**
 * process.env, parsed once with zod. Problems are reported together, one line per variable,
 * naming the variable and what it expects (malformed values first, then what production
 * requires), so a misconfigured deployment fails at startup with a readable list instead of
 * later with a stack trace.
 *
 * `loadConfig` is pure (env in, Config out) so tests and tools can call it with any env.
 */
import { DEFAULT_RETENTION, parseRetention, RETENTION_KINDS, type RetentionPolicy } from './domain/retention/policy';
import { z } from 'zod';
import type { RegulationPolicy } from './domain/policy';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const ROLES = ['web', 'worker', 'all'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const TEAMS_APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
/**
 * Which EU AI Act application dates apply, overriding playbooks/regulation.yaml's `datesInForce`
 * (same words): the Regulation as published, or the reported 2026 amendment.
 */
export const EU_AI_ACT_DATE_SETS = ['original', 'amended'] as const satisfies readonly RegulationPolicy['datesInForce'][];

export type NodeEnv = (typeof NODE_ENVS)[number];
export type Role = (typeof ROLES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];
export type EuAiActDates = (typeof EU_AI_ACT_DATE_SETS)[number];

export interface SlackConfig {
  enabled: boolean;
  signingSecret?: string;
  botToken?: string;
  /** Present means Socket Mode (no public URL needed; the signing secret is then optional). */
  appToken?: string;
  socketMode: boolean;
  incidentChannel?: string;
  governanceChannel?: string;
  /** The AI CoE channel: escalations of overdue reviews. */
  coeChannel?: string;
  /**
   * SLACK_ALLOWED_TEAMS: the workspaces (T…) and Enterprise Grid organisations (E…) whose
   * requests are served. Absent: the workspace of the bot token (auth.test), learned at runtime.
   */
  allowedTeams?: string[];
  /** SLACK_API_URL: the Web API base (GovSlack, a proxy); absent, Slack's public one. Ends with '/'. */
  apiUrl?: string;
  /** Multi-workspace installs through Slack's OAuth flow (SLACK_CLIENT_ID set); absent: the one SLACK_BOT_TOKEN. */
  oauth?: SlackOAuthConfig;
}

export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** SLACK_STATE_SECRET: signs the OAuth state (the install's CSRF protection). */
  stateSecret: string;
  /** SLACK_TOKEN_ENCRYPTION_KEY: installations' tokens are stored encrypted with it. */
  tokenEncryptionKey: string;
  /** SLACK_HOME_TEAM: the workspace (T…) or organisation (E…) whose installation posts to the configured channels. */
  homeTeam?: string;
}

/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or lower case), for outgoing calls to Slack. */
export interface ProxyConfig {
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
}

/** Where GET /privacy and GET /terms read their text (absent: a notice that none is published). */
export interface LegalPagesConfig {
  privacyFile?: string;
  termsFile?: string;
}

export interface TeamsConfig {
  enabled: boolean;
  appId?: string;
  appPassword?: string;
  appType: TeamsAppType;
  tenantId?: string;
  incidentConversationId?: string;
  governanceConversationId?: string;
  coeConversationId?: string;
  /**
   * The Entra ID tenants whose activities are served: TEAMS_ALLOWED_TENANTS, or for a
   * single-tenant app its own MicrosoftAppTenantId. Absent only outside production (any tenant).
   */
  allowedTenants?: string[];
  /** TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING: run without MicrosoftAppId (never in production). */
  allowAnonymous: boolean;
}

/** A personal console token: whoever presents it acts as the person with this email. */
export interface ConsoleUserToken {
  email: string;
  token: string;
}

export interface ConsoleConfig {
  enabled: boolean;
  /** Shared token (CONSOLE_AUTH_TOKEN). */
  authToken?: string;
  /** Personal tokens (CONSOLE_USER_TOKENS); empty when none are set. */
  userTokens: ConsoleUserToken[];
}

export interface Config {
  env: NodeEnv;
  port: number;
  host: string;
  /** Base URL people and chat platforms reach Steward at, without a trailing slash. */
  publicUrl: string;
  role: Role;
  logLevel: LogLevel;
  mongodb: {
    /** Absent only outside production: main.ts then starts the local database (scripts/db.sh). */
    uri?: string;
    dbName: string;
  };
  slack: SlackConfig;
  teams: TeamsConfig;
  console: ConsoleConfig;
  playbooksDir: string;
  seedDemo: boolean;
  evalMaxConcurrencyPerEndpoint: number;
  /**
   * SHUTDOWN_GRACE_SECONDS: the orchestrator's grace period between SIGTERM and SIGKILL
   * (Kubernetes terminationGracePeriodSeconds, docker stop -t); shutdown deadlines fit inside it.
   */
  shutdownGraceSeconds: number;
  /** RETENTION_DAYS over the defaults: how long operational data is kept (src/domain/retention/policy.ts). */
  retention: RetentionPolicy;
  /** EU_AI_ACT_DATES: overrides regulation.yaml's datesInForce; absent, the playbook decides. */
  euAiActDates?: EuAiActDates;
  /**
   * AUDIT_SIGNING_KEY: keys the audit trail's HMAC chain and checkpoints. Always set in
   * production; elsewhere absent means the generated development key (src/auditSigningKey.ts).
   */
  auditSigningKey?: string;
  /** GET /metrics (src/observability): who may read it and where it is served. */
  metrics: MetricsConfig;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: traces are exported there when set; absent, tracing is off (not even loaded). */
  otlpEndpoint?: string;
  /** SLACK_MAX_IN_FLIGHT: Slack requests whose work may run at once after the ack; beyond it "Steward is busy". */
  slackMaxInFlight: number;
  proxy: ProxyConfig;
  legal: LegalPagesConfig;
  /** Non-fatal observations (e.g. a half-configured channel in development), logged at startup. */
  warnings: string[];
}

export interface MetricsConfig {
  /** METRICS_TOKEN: a scraper sends `Authorization: Bearer <token>`. */
  token?: string;
  /** METRICS_PORT: /metrics is served on this port only (not on PORT). */
  port?: number;
  /** Whether the public port serves /metrics (false with METRICS_PORT, or in production without a token). */
  onPublicPort: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// ---- one zod schema per kind of variable; each failure says what was expected ----

/** Unset and empty are the same thing: `FOO=` in a compose file means "not configured". */
function variable<T>(expected: string, parse: (raw: string) => T | undefined, opts: { secret?: boolean } = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = parse(raw.trim());
      if (value === undefined) {
        // Never echo a secret back into logs.
        ctx.addIssue({ code: 'custom', message: `expected ${expected}${opts.secret ? '' : `, got '${raw}'`}` });
        return z.NEVER;
      }
      return value;
    });
}

const text = (opts: { secret?: boolean } = {}) => variable('a non-empty string', (s) => s, opts);

const oneOf = <const T extends readonly string[]>(values: T) =>
  variable(`one of ${values.join(', ')}`, (s) => values.find((v) => v === s) as T[number] | undefined);

const integer = (min: number, max: number) =>
  variable(`an integer ${min}-${max}`, (s) => {
    if (!/^\d+$/.test(s)) return undefined;
    const n = Number(s);
    return n >= min && n <= max ? n : undefined;
  });

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];
const flag = () =>
  variable('true or false', (s) => (TRUE.includes(s.toLowerCase()) ? true : FALSE.includes(s.toLowerCase()) ? false : undefined));

const httpUrl = () =>
  variable('an http(s) URL such as https://steward.example.com', (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:' ? s.replace(/\/+$/, '') : undefined;
    } catch {
      return undefined;
    }
  });

const mongoUri = () =>
  variable(
    'a connection string starting with mongodb:// or mongodb+srv://',
    (s) => (/^mongodb(\+srv)?:\/\/\S+$/.test(s) ? s : undefined),
    { secret: true },
  );

/**
 * Slack requests whose work may run at once per process (after the ack). Measured with
 * bench/slack.bench.ts: enough to keep the database busy; beyond it work only queues in memory.
 */
export const DEFAULT_SLACK_MAX_IN_FLIGHT = 64;

/** A console token shorter than this is guessable; production refuses it. */
export const MIN_CONSOLE_TOKEN_LENGTH = 16;

/**
 * `email=token,email=token`. Each problem names the entry by position and email, never the
 * token. Emails are compared case-insensitively, so they are lower-cased here.
 */
const userTokens = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx): ConsoleUserToken[] | undefined => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const out: ConsoleUserToken[] = [];
      raw.split(',').forEach((entry, i) => {
        const at = `entry ${i + 1}`;
        const eq = entry.indexOf('=');
        const email = (eq < 0 ? entry : entry.slice(0, eq)).trim().toLowerCase();
        const token = eq < 0 ? '' : entry.slice(eq + 1).trim();
        const problem = (message: string) => ctx.addIssue({ code: 'custom', message: `${at}: ${message}` });
        if (!entry.trim()) return problem('empty (expected email=token, comma-separated)');
        if (eq < 0) return problem('expected email=token');
        if (!/^[^\s@=,]+@[^\s@=,]+\.[^\s@=,]+$/.test(email)) return problem(`expected an email address before '=', got '${email}'`);
        if (token.length < MIN_CONSOLE_TOKEN_LENGTH || /\s/.test(token)) {
          return problem(`the token for ${email} must be at least ${MIN_CONSOLE_TOKEN_LENGTH} characters, without spaces`);
        }
        if (out.some((u) => u.email === email)) return problem(`${email} is listed twice`);
        if (out.some((u) => u.token === token)) return problem(`the token for ${email} is already given to someone else`);
        out.push({ email, token });
      });
      return out;
    });

/**
 * Shorter than this, an HMAC key can be guessed offline from the trail itself (every entry is
 * a known plaintext with its MAC), and then the trail can be rewritten undetected.
 */
export const MIN_AUDIT_SIGNING_KEY_LENGTH = 32;

export const AUDIT_KEY_REQUIRED = `AUDIT_SIGNING_KEY: required in production (at least ${MIN_AUDIT_SIGNING_KEY_LENGTH} random characters, e.g. \`openssl rand -hex 32\`; keep it out of the database)`;

const signingKey = () =>
  variable(
    `at least ${MIN_AUDIT_SIGNING_KEY_LENGTH} characters without spaces (e.g. the output of \`openssl rand -hex 32\`)`,
    (s) => (s.length >= MIN_AUDIT_SIGNING_KEY_LENGTH && !/\s/.test(s) ? s : undefined),
    { secret: true },
  );

/** A comma-separated list of ids, each matching `pattern` (duplicates dropped, order kept). */
const idList = (expected: string, pattern: RegExp, normalise: (s: string) => string = (s) => s) =>
  variable(`a comma-separated list of ${expected}`, (s) => {
    const ids = s.split(',').map((x) => normalise(x.trim()));
    return ids.every((id) => pattern.test(id)) ? [...new Set(ids)] : undefined;
  });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// MongoDB's own rule for database names (and short enough for FerretDB).
const dbName = () =>
  variable('a database name of 1-63 letters, digits, _ or -', (s) => (/^[A-Za-z0-9_-]{1,63}$/.test(s) ? s : undefined));

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
