/**
 * The shape of Steward's configuration: the allowed values and the typed Config that
 * loadConfig (src/config.ts) produces from process.env. Kept apart from the parsing so the
 * types read as one page.
 */
import type { RegulationPolicy } from './domain/policy';
import type { RetentionPolicy } from './domain/retention/policy';

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
  /**
   * SLACK_BUSY_FLOOR / SLACK_BUSY_LOOP_UTILIZATION: the bound while the event loop is saturated,
   * and the share of busy time that counts as saturated (1 turns the floor off). Absent, the
   * defaults of src/channels/slack/busyGate.ts (4, 0.8).
   */
  slackBusy: { floor?: number; maxLoopUtilization?: number };
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
