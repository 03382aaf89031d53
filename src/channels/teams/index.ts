/**
 * The Microsoft Teams channel: a botbuilder CloudAdapter receiving Bot Framework activities at
 * POST /api/messages, a bot turning them into Interactions for the conversation, and a
 * TeamsNotifier for the outbox (proactive messages through stored conversation references).
 *
 * Why botbuilder stays inside this folder: Microsoft has put the Bot Framework SDK into
 * maintenance in favour of the Microsoft 365 Agents SDK. Nothing outside src/channels/teams
 * imports botbuilder (the rest sees a router, a Notifier and plain data), so the later move to
 * the Agents SDK touches only this folder.
 *
 * Authentication: with MicrosoftAppId set, every request must carry a Bot Framework JWT
 * (401 otherwise, ./requestGate.ts) and replies are sent with a token for the app (MultiTenant,
 * SingleTenant with MicrosoftAppTenantId, or UserAssignedMSI). Activities from a tenant not in
 * config.allowedTenants are refused (403) before any lookup. Without an app id the adapter runs
 * anonymously only when asked (TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING), never in production.
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import express, { Router, type RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { TeamsConfig } from '../../config';
import type { Conversation } from '../../conversation/handlers/types';
import { cardToAdaptiveCard } from '../../conversation/render/adaptiveCard';
import type { DomainContext } from '../../domain/ports';
import { MongoTeamsRefRepository } from '../../store/teamsRefs.repo';
import { keepTeamsCopiesRight } from './approvalCopies';
import { StewardBot } from './bot';
import { activityShape } from './activityShape';
import type { TeamsDeps } from './deps';
import { APOLOGY } from '../../conversation/handlers/safe';
import { TeamsNotifier, type TeamsChannelName } from './notifier';
import { ConversationRateLimiter, DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rateLimit';
import { cardsActivity } from './render';
import { teamsRequestGate } from './requestGate';

type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Bot Framework activities are small; cards with long forms stay well under this. */
const BODY_LIMIT = '1mb';

export interface TeamsChannelOptions {
  ctx: DomainContext & { conn: Connection };
  conversation: Conversation;
  config: Pick<TeamsConfig, 'appId' | 'appPassword' | 'appType' | 'tenantId' | 'incidentConversationId' | 'governanceConversationId' | 'allowedTenants'> & {
    /** The AI CoE conversation for governance digests (optional). */
    coeConversationId?: string;
  };
  logger: Logger;
  /** NODE_ENV=production: an app id is then mandatory (anonymous mode is for development). */
  production?: boolean;
  /** Per-conversation rate and 429 backoff; tests shorten the delays. */
  rateLimit?: Partial<RateLimitOptions>;
  /** TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING: without it (or in production) no app id is a startup error. */
  allowAnonymous?: boolean;
  /**
   * Tests only: botbuilder auth settings pointing at a loopback OpenID/JWKS stand-in
   * (ToBotFromChannelOpenIdMetadataUrl, …) and credentials that need no token endpoint.
   */
  authOverrides?: { settings: Record<string, string>; credentials?: CredentialsFactory };
}

export interface TeamsChannel {
  /** Mount at '/' in the main express app (it routes POST /api/messages). */
  router: RequestHandler;
  /** POST handler (JSON body parsed) for `app.use('/api/messages', handler)`. */
  handler: RequestHandler;
  adapter: CloudAdapter;
  notifier: TeamsNotifier;
  refs: MongoTeamsRefRepository;
  /** True when requests are not authenticated (no app id): never in production. */
  anonymous: boolean;
  /** Stops keeping approval copies up to date (module stop). */
  stop(): void;
}

export function createTeamsChannel(opts: TeamsChannelOptions): TeamsChannel {
  const { config } = opts;
  const appId = config.appId?.trim() ?? '';
  if (!appId && opts.production) throw new Error('MicrosoftAppId is required to run the Teams channel in production (anonymous mode is for local development only)');
  if (!appId && !opts.allowAnonymous) {
    throw new Error('MicrosoftAppId is required to run the Teams channel (for local testing without one set TEAMS_ALLOW_ANONYMOUS_FOR_LOCAL_TESTING=true)');
  }
  const logger = opts.logger.child({ component: 'teams' });

  const settings = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: config.appPassword ?? '',
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId ?? '',
    ...opts.authOverrides?.settings,
  };
  const credentials = opts.authOverrides?.credentials ?? new ConfigurationServiceClientCredentialFactory(settings);
  const auth = new ConfigurationBotFrameworkAuthentication(settings, credentials);
  const adapter = new CloudAdapter(auth);

  const deps: TeamsDeps = {
    ctx: opts.ctx,
    conversation: opts.conversation,
    adapter,
    appId,
    refs: new MongoTeamsRefRepository(opts.ctx.conn),
    limiter: new ConversationRateLimiter({ ...DEFAULT_RATE_LIMIT, ...opts.rateLimit }),
    render: cardToAdaptiveCard,
    logger,
  };
  const bot = new StewardBot(deps);

  adapter.onTurnError = async (context: TurnContext, err: unknown) => {
    logger.error({ err, activityType: context.activity.type }, 'teams turn failed');
    // An invoke answers with its status; a message gets a short apology, never a stack trace.
    if (context.activity.type === 'message') await context.sendActivity(cardsActivity([APOLOGY], deps.render)).catch(() => undefined);
  };

  const processActivity: RequestHandler = async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  };
  const json = express.json({ limit: BODY_LIMIT });
  const gate = teamsRequestGate({ auth, allowedTenants: config.allowedTenants, logger });
  // After the token: an activity botbuilder or the handlers cannot read is a 400, not a failed turn.
  const handler = Router().post('/', json, gate, activityShape, processActivity);
  const router = Router().post(TEAMS_MESSAGES_PATH, json, gate, activityShape, processActivity);

  const notifier = new TeamsNotifier(deps, channelIds(config), config.tenantId);
  // Every approver's copy of an approval request is redrawn for them after each vote.
  const stop = keepTeamsCopiesRight(deps);
  return { router, handler, adapter, notifier, refs: deps.refs, anonymous: !appId, stop };
}

function channelIds(config: TeamsChannelOptions['config']): Partial<Record<TeamsChannelName, string>> {
  return {
    ...(config.incidentConversationId ? { incidents: config.incidentConversationId } : {}),
    ...(config.governanceConversationId ? { governance: config.governanceConversationId } : {}),
    ...(config.coeConversationId ? { coe: config.coeConversationId } : {}),
  };
}

export { TeamsNotifier } from './notifier';
export { UNKNOWN_USER_TEXT } from './identity';
