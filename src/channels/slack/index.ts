/**
 * The Slack channel: a Bolt App whose listeners turn Slack payloads into Interactions for the
 * conversation, and a SlackNotifier for the outbox.
 *
 * Over HTTP (default) Bolt sits on an ExpressReceiver at /slack/events (commands, interactivity
 * and events share the one URL); `router` is mounted in the main express app at '/', and the
 * receiver verifies Slack's signature over the raw body itself (401 when wrong or stale).
 * With SLACK_APP_TOKEN set, Socket Mode is used instead (no public URL; `start()` connects).
 */
import { App, ExpressReceiver, SocketModeReceiver, webApi, type Authorize } from '@slack/bolt';

import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DEFAULT_SLACK_MAX_IN_FLIGHT, type ProxyConfig, type SlackConfig } from '../../config';
import type { Card } from '../../conversation/cards/model';
import type { Conversation } from '../../conversation/handlers/types';
import type { DomainContext } from '../../domain/ports';
import type { Person } from '../../domain/types';
import { MongoSlackMessageRepository } from '../../store/slackMessages.repo';
import type { Connection } from 'mongoose';
import { keepSlackCopiesRight } from './approvalCopies';
import { boltLogger } from './boltLogger';
import { type BusyGateOptions, createBusyGate } from './busyGate';
import type { SlackDeps } from './deps';
import { buildHomeCards } from './homeCards';
import { SlackActorCache } from './identity';
import { registerListeners } from './listeners';
import { registerAppLifecycle } from './listeners/events/appLifecycle';
import { slackRequestGate } from './requestGate';
import { SlackNotifier, type SlackChannelName } from './notifier';
import { defaultSlackRenderers, type SlackRenderers } from './render';
import { botTokenTeams, slackTeamGate } from './teamGate';
import { slackOAuth } from './oauth';
import { slackTransportOptions } from './webApiTransport';

type WebClient = webApi.WebClient;
type WebClientOptions = webApi.WebClientOptions;

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackChannelOptions {
  ctx: DomainContext & { conn: Connection };
  conversation: Conversation;
  config: Pick<SlackConfig, 'signingSecret' | 'botToken' | 'appToken' | 'socketMode' | 'incidentChannel' | 'governanceChannel' | 'allowedTeams' | 'apiUrl' | 'oauth'> & {
    /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the Web API client (./webApiTransport.ts). */
    proxy?: ProxyConfig;
    /** SLACK_COE_CHANNEL: the AI CoE channel for governance digests (optional). */
    coeChannel?: string;
    /** The bot's ids (auth.test user_id / bot_id); when absent auth.test is called once, lazily. */
    botId?: string;
    botUserId?: string;
  };
  logger: Logger;
  /** Defaults to cardToBlockKit / cardToSlackModal. */
  renderers?: SlackRenderers;
  /** WebClient options: tests point slackApiUrl at a local fake and turn retries off. */
  clientOptions?: WebClientOptions;
  /** SLACK_MAX_IN_FLIGHT: requests whose work may run at once after the ack (./busyGate.ts); default 64. */
  maxInFlight?: number;
  /** The bound while the event loop is saturated, and what counts as saturated (./busyGate.ts defaults). */
  busy?: Pick<BusyGateOptions, 'floor' | 'maxLoopUtilization' | 'loopUtilization'>;
  /** The App Home cards; defaults to buildHomeCards (use cases, approvals, incidents, reviews). */
  homeCards?: (actor: Person) => Promise<Card[]>;
}

export interface SlackChannel {
  /** Mount at '/' in the main express app (it routes POST /slack/events). Empty in Socket Mode. */
  router: RequestHandler;
  app: App;
  client: WebClient;
  notifier: SlackNotifier;
  /** Connects Socket Mode; nothing to do over HTTP (the router serves requests). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A single-workspace authorize that never calls auth.test per request: with the bot ids given
 * it answers at once; otherwise auth.test runs once and its result is kept.
 */
function singleWorkspaceAuthorize(token: string, client: () => WebClient, ids: { botId?: string; botUserId?: string }): Authorize<boolean> {
  let known: Promise<{ botId?: string; botUserId?: string }> | undefined =
    ids.botId && ids.botUserId ? Promise.resolve(ids) : undefined;
  return async () => {
    known ??= client()
      .auth.test({ token })
      .then((r) => ({ botId: r.bot_id, botUserId: r.user_id }))
      .catch((e: unknown) => {
        known = undefined; // try again on the next request
        throw e;
      });
    const { botId, botUserId } = await known;
    return { botToken: token, botId, botUserId };
  };
}

export function createSlackChannel(opts: SlackChannelOptions): SlackChannel {
  const { config, logger } = opts;
  if (!config.botToken && !config.oauth) throw new Error('SLACK_BOT_TOKEN (or SLACK_CLIENT_ID for OAuth installs) is required to run the Slack channel');
  const renderers = opts.renderers ?? defaultSlackRenderers;
  const slackLogger = boltLogger(logger);
  // SLACK_API_URL and proxies first; a test's explicit options win.
  const clientOptions: WebClientOptions = { ...slackTransportOptions(config), ...opts.clientOptions, logger: slackLogger };
  // Multi-workspace installs (./oauth): Bolt's OAuth routes, authorize and a routed client.
  const oauth = config.oauth
    ? slackOAuth({ oauth: config.oauth, conn: opts.ctx.conn, clientOptions, logger, ...(config.allowedTeams ? { allowedTeams: new Set(config.allowedTeams) } : {}) })
    : undefined;

  const socketMode = Boolean(config.socketMode && config.appToken);
  let receiver: ExpressReceiver | SocketModeReceiver;
  let router: RequestHandler;
  if (socketMode) {
    receiver = new SocketModeReceiver({ appToken: config.appToken!, logger: slackLogger });
    router = Router();
  } else {
    if (!config.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
    const express = new ExpressReceiver({
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger: slackLogger,
      // Answer Slack as soon as a listener calls ack(); the work continues after the response.
      processBeforeResponse: false,
      ...oauth?.receiverOptions,
    });
    receiver = express;
    // Malformed signed bodies get 400 and requests no listener takes are answered, before Bolt.
    router = slackRequestGate(
      { signingSecret: config.signingSecret, logger, client: () => client, dispatch: (req, res) => express.requestHandler(req, res) },
      express.router as unknown as RequestHandler,
    );
  }

  let app: App | undefined;
  app = new App({
    receiver,
    ...(oauth ? {} : { authorize: singleWorkspaceAuthorize(config.botToken!, () => app!.client, config) }),
    clientOptions,
    logger: slackLogger,
    // Steward keeps no per-conversation state in Bolt; skipping the store saves work before the ack.
    convoStore: false,
  });
  // The authorize result carries the bot token; the notifier needs a client that has it bound.
  const client = oauth ? oauth.client : new webApi.WebClient(config.botToken, clientOptions);

  const messages = new MongoSlackMessageRepository(opts.ctx.conn);
  const deps: SlackDeps = {
    ctx: opts.ctx,
    conversation: opts.conversation,
    renderers,
    messages,
    homeCards: opts.homeCards ?? ((actor) => buildHomeCards(opts.ctx, actor)),
    logger: logger.child({ component: 'slack' }),
    actors: new SlackActorCache(),
  };
  // Before every listener: requests from other workspaces are refused before any lookup (./teamGate.ts).
  const fixedTeams = config.allowedTeams ? new Set(config.allowedTeams) : undefined;
  const allowedTeams = fixedTeams ? async () => fixedTeams : oauth ? oauth.allowedTeams : botTokenTeams(() => client.auth.test());
  app.use(slackTeamGate({ allowed: allowedTeams, logger: deps.logger }));
  if (oauth) app.use(oauth.rememberRoutes as never);
  // Then a bound on the work in flight: beyond it "Steward is busy" and nothing is started.
  app.use(createBusyGate({ ...opts.busy, limit: opts.maxInFlight ?? DEFAULT_SLACK_MAX_IN_FLIGHT, logger: deps.logger }).middleware);
  registerListeners(app, deps);
  // app_uninstalled / tokens_revoked: the workspace's installation stops being used (./listeners/events/appLifecycle.ts).
  registerAppLifecycle(app, { ctx: deps.ctx, logger: deps.logger, ...(oauth ? { store: oauth.store } : {}) });
  app.error(async (e) => {
    deps.logger.error({ err: e }, 'slack listener error');
  });

  const notifier = new SlackNotifier({
    ctx: opts.ctx,
    client,
    messages,
    renderers,
    channels: channelIds(config),
    logger: deps.logger,
  });
  // Every approver's copy of an approval request is redrawn for them after each vote.
  const unsubscribeCopies = keepSlackCopiesRight(deps, client);

  return {
    router,
    app,
    client,
    notifier,
    start: async () => {
      if (socketMode) await app.start();
    },
    stop: async () => {
      unsubscribeCopies();
      if (socketMode) await app.stop();
    },
  };
}

function channelIds(config: SlackChannelOptions['config']): Partial<Record<SlackChannelName, string>> {
  return {
    ...(config.incidentChannel ? { incidents: config.incidentChannel } : {}),
    ...(config.governanceChannel ? { governance: config.governanceChannel } : {}),
    ...(config.coeChannel ? { coe: config.coeChannel } : {}),
  };
}
