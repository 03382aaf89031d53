/**
 * Multi-workspace Slack (SLACK_CLIENT_ID): what createSlackChannel needs to run Bolt's OAuth
 * flow instead of one bot token.
 *   GET /slack/install          -> Slack's authorize page (a workspace, or an Enterprise Grid org)
 *   GET /slack/oauth_redirect   -> oauth.v2.access, then the installation is stored (encrypted)
 * Bolt's ExpressReceiver serves both routes and verifies the signed state (cookie + parameter);
 * Bolt's authorize then reads each request's installation, so listeners answer with that
 * workspace's token; Steward's own sends go through the installation-routed client.
 */
import type { ExpressReceiverOptions, webApi } from '@slack/bolt';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { SlackOAuthConfig } from '../../../config';
import { MongoSlackInstallationRepository } from '../../../store/slackInstallations.repo';
import { MongoSlackRouteRepository } from '../../../store/slackRoutes.repo';
import { slackAuthorizeUrl } from '../webApiTransport';
import { installedTeamsCache, MongoInstallationStore } from './installationStore';
import { InstallationRoutedClient, rememberUserRoutes } from './routedClient';
import { SLACK_BOT_SCOPES, SLACK_INSTALL_PATH, SLACK_OAUTH_REDIRECT_PATH } from './scopes';
import { tokenCipher } from './tokenCipher';

type WebClientOptions = webApi.WebClientOptions;

export interface SlackOAuthParts {
  /** Spread into the ExpressReceiver's options. */
  receiverOptions: Pick<ExpressReceiverOptions, 'clientId' | 'clientSecret' | 'stateSecret' | 'installationStore' | 'scopes' | 'installerOptions'>;
  store: MongoInstallationStore;
  /** For the outbox and approval copies: each call with the token of its target's workspace. */
  client: webApi.WebClient;
  /** The team gate's allowed set: SLACK_ALLOWED_TEAMS, else the installed workspaces. */
  allowedTeams: () => Promise<ReadonlySet<string>>;
  /** Bolt middleware remembering which installation reaches each requesting user. */
  rememberRoutes: ReturnType<typeof rememberUserRoutes>;
}

export function slackOAuth(opts: {
  oauth: SlackOAuthConfig;
  conn: Connection;
  clientOptions: WebClientOptions;
  allowedTeams?: ReadonlySet<string>;
  logger: Logger;
}): SlackOAuthParts {
  const routes = new MongoSlackRouteRepository(opts.conn);
  let forget = () => {};
  const store = new MongoInstallationStore({
    repo: new MongoSlackInstallationRepository(opts.conn),
    cipher: tokenCipher(opts.oauth.tokenEncryptionKey),
    ...(opts.allowedTeams ? { allowedTeams: opts.allowedTeams } : {}),
    logger: opts.logger,
    onChange: () => forget(),
  });
  const cache = installedTeamsCache(store);
  forget = cache.forget;
  const authorizationUrl = slackAuthorizeUrl(opts.clientOptions.slackApiUrl);
  const fixed = opts.allowedTeams;
  return {
    receiverOptions: {
      clientId: opts.oauth.clientId,
      clientSecret: opts.oauth.clientSecret,
      stateSecret: opts.oauth.stateSecret,
      installationStore: store,
      scopes: [...SLACK_BOT_SCOPES],
      installerOptions: {
        installPath: SLACK_INSTALL_PATH,
        redirectUriPath: SLACK_OAUTH_REDIRECT_PATH,
        // The install page sends the browser straight to Slack (no intermediate "Add to Slack" page).
        directInstall: true,
        stateVerification: true,
        // oauth.v2.access and auth.test go where the Web API goes (SLACK_API_URL, proxies).
        clientOptions: opts.clientOptions,
        ...(authorizationUrl ? { authorizationUrl } : {}),
      },
    },
    store,
    client: new InstallationRoutedClient({ store, routes, ...(opts.oauth.homeTeam ? { homeTeam: opts.oauth.homeTeam } : {}) }, opts.clientOptions),
    allowedTeams: fixed ? async () => fixed : cache.allowed,
    rememberRoutes: rememberUserRoutes(routes),
  };
}
