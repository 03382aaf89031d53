/**
 * process.env, parsed once with zod. Problems are reported together, one line per variable,
 * naming the variable and what it expects (malformed values first, then what production
 * requires), so a misconfigured deployment fails at startup with a readable list instead of
 * later with a stack trace.
 *
 * `loadConfig` is pure (env in, Config out) so tests and tools can call it with any env.
 */
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
  /** EU_AI_ACT_DATES: overrides regulation.yaml's datesInForce; absent, the playbook decides. */
  euAiActDates?: EuAiActDates;
  /**
   * AUDIT_SIGNING_KEY: keys the audit trail's HMAC chain and checkpoints. Always set in
   * production; elsewhere absent means the generated development key (src/auditSigningKey.ts).
   */
  auditSigningKey?: string;
  /** Non-fatal observations (e.g. a half-configured channel in development), logged at startup. */
  warnings: string[];
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
  TEAMS_ENABLED: flag(),
  MicrosoftAppId: text(),
  MicrosoftAppPassword: text({ secret: true }),
  MicrosoftAppType: oneOf(TEAMS_APP_TYPES),
  MicrosoftAppTenantId: text(),
  TEAMS_INCIDENT_CONVERSATION_ID: text(),
  TEAMS_GOVERNANCE_CONVERSATION_ID: text(),
  TEAMS_COE_CONVERSATION_ID: text(),
  CONSOLE_ENABLED: flag(),
  CONSOLE_AUTH_TOKEN: text({ secret: true }),
  CONSOLE_USER_TOKENS: userTokens(),
  PLAYBOOKS_DIR: text(),
  STEWARD_SEED_DEMO: flag(),
  EVAL_MAX_CONCURRENCY_PER_ENDPOINT: integer(1, 64),
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

  const slackEnabled = v.SLACK_ENABLED ?? Boolean(v.SLACK_SIGNING_SECRET || v.SLACK_BOT_TOKEN || v.SLACK_APP_TOKEN);
  const slack: SlackConfig = {
    enabled: slackEnabled,
    signingSecret: v.SLACK_SIGNING_SECRET,
    botToken: v.SLACK_BOT_TOKEN,
    appToken: v.SLACK_APP_TOKEN,
    socketMode: Boolean(v.SLACK_APP_TOKEN),
    incidentChannel: v.SLACK_INCIDENT_CHANNEL,
    governanceChannel: v.SLACK_GOVERNANCE_CHANNEL,
    coeChannel: v.SLACK_COE_CHANNEL,
  };
  const slackMissing: string[] = [];
  if (slack.enabled) {
    if (!slack.botToken) slackMissing.push('SLACK_BOT_TOKEN: required when Slack is enabled (the bot token, xoxb-...)');
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
  };
  const teamsMissing: string[] = [];
  if (teams.enabled) {
    if (!teams.appId) teamsMissing.push('MicrosoftAppId: required when Teams is enabled (the Azure Bot app id)');
    if (!teams.appPassword && teams.appType !== 'UserAssignedMSI') {
      teamsMissing.push('MicrosoftAppPassword: required when Teams is enabled (unless MicrosoftAppType=UserAssignedMSI)');
    }
    if (!teams.tenantId && teams.appType !== 'MultiTenant') {
      teamsMissing.push(`MicrosoftAppTenantId: required when MicrosoftAppType=${teams.appType}`);
    }
  }

  const consoleEnabled = v.CONSOLE_ENABLED ?? !production;
  const consoleUsers = v.CONSOLE_USER_TOKENS ?? [];
  if (production) {
    if (!v.MONGODB_URI) problems.push('MONGODB_URI: required in production (a MongoDB 6+ connection string)');
    // The key must live outside the database: whoever can write the database must not be able to re-sign it.
    if (!v.AUDIT_SIGNING_KEY) problems.push(AUDIT_KEY_REQUIRED);
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
    ...(v.EU_AI_ACT_DATES ? { euAiActDates: v.EU_AI_ACT_DATES } : {}),
    ...(v.AUDIT_SIGNING_KEY ? { auditSigningKey: v.AUDIT_SIGNING_KEY } : {}),
    warnings,
  };
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
