/**
 * The Web API client of a multi-workspace Steward. Listeners get Bolt's client, already bound
 * to the requesting workspace's token; this one serves what Steward sends on its own (the
 * outbox's notifications, redrawn approval copies), which has no request to take a token from.
 * Each call is sent with the token of the installation that reaches its target:
 *   users: U…   (conversations.open) -> the user's workspace, learned from their requests
 *   channel: …  (chat.postMessage, chat.update) -> the workspace the channel was seen in
 *   anything else, or a target not met yet -> SLACK_HOME_TEAM's installation (or the only one)
 * and what a call reveals (the DM a conversations.open opened, the channel a message went to)
 * is remembered for the next one.
 */
import { webApi } from '@slack/bolt';
import type { MongoSlackRouteRepository } from '../../../store/slackRoutes.repo';
import { installationKey, type MongoInstallationStore } from './installationStore';

type WebClientOptions = webApi.WebClientOptions;
type WebAPICallResult = webApi.WebAPICallResult;

export interface RoutedClientDeps {
  store: MongoInstallationStore;
  routes: MongoSlackRouteRepository;
  /** SLACK_HOME_TEAM (T… or E…). */
  homeTeam?: string;
}

export class InstallationRoutedClient extends webApi.WebClient {
  constructor(
    private readonly routing: RoutedClientDeps,
    options: WebClientOptions,
  ) {
    super(undefined, options);
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    if (options.token) return super.apiCall(method, options);
    const key = await this.installationFor(options);
    const installation = await this.routing.store.fetchInstallation(queryOf(key));
    const token = installation.bot?.token;
    if (!token) throw new Error(`the Slack installation ${key} has no bot token`);
    const result = await super.apiCall(method, { ...options, token });
    await this.learn(result, key);
    return result;
  }

  private async installationFor(options: Record<string, unknown>): Promise<string> {
    const user = typeof options.users === 'string' && !options.users.includes(',') ? options.users : undefined;
    const channel = typeof options.channel === 'string' ? options.channel : undefined;
    // chat.postMessage to a user id (U…/W…) posts in their DM: the user's route decides.
    const dmUser = channel && /^[UW]/.test(channel) ? channel : undefined;
    const known =
      (user && (await this.routing.routes.installationOf(`user:${user}`))) ||
      (dmUser && (await this.routing.routes.installationOf(`user:${dmUser}`))) ||
      (channel && (await this.routing.routes.installationOf(`channel:${channel}`)));
    return known || (await this.homeInstallation());
  }

  private async homeInstallation(): Promise<string> {
    const home = this.routing.homeTeam;
    if (home) return home.startsWith('E') ? installationKey({ enterpriseId: home, isEnterpriseInstall: true }) : installationKey({ teamId: home });
    const installed = [...(await this.routing.store.installedTeams())];
    if (installed.length === 1) return installed[0]!.startsWith('E') ? installationKey({ enterpriseId: installed[0], isEnterpriseInstall: true }) : installationKey({ teamId: installed[0] });
    throw new Error(
      installed.length ? 'several Slack workspaces are installed and this target was not met yet: set SLACK_HOME_TEAM' : 'Steward is not installed in any Slack workspace yet (open /slack/install)',
    );
  }

  private async learn(result: WebAPICallResult, key: string): Promise<void> {
    const channel = (result as { channel?: unknown }).channel;
    const id = typeof channel === 'string' ? channel : typeof channel === 'object' && channel ? (channel as { id?: unknown }).id : undefined;
    if (typeof id === 'string') await this.routing.routes.remember(`channel:${id}`, key);
  }
}

function queryOf(key: string): { teamId: string | undefined; enterpriseId: string | undefined; isEnterpriseInstall: boolean } {
  const [kind, id] = key.split(':') as [string, string];
  return kind === 'enterprise' ? { teamId: undefined, enterpriseId: id, isEnterpriseInstall: true } : { teamId: id, enterpriseId: undefined, isEnterpriseInstall: false };
}

/**
 * A Bolt middleware (OAuth mode): the installation each requesting user is reached through,
 * remembered once per user and process.
 */
export function rememberUserRoutes(routes: MongoSlackRouteRepository) {
  const seen = new Set<string>();
  return async (args: { context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean; userId?: string }; body: unknown; next: () => Promise<void> }) => {
    const c = args.context;
    const userId = c.userId ?? bodyUser(args.body);
    if (userId && !seen.has(userId) && (c.teamId || c.enterpriseId)) {
      seen.add(userId);
      const key = installationKey({ teamId: c.teamId, enterpriseId: c.enterpriseId, isEnterpriseInstall: c.isEnterpriseInstall });
      await routes.remember(`user:${userId}`, key).catch(() => seen.delete(userId));
    }
    await args.next();
  };
}

function bodyUser(body: unknown): string | undefined {
  const b = body as { user_id?: unknown; user?: { id?: unknown } | string; event?: { user?: unknown } } | null;
  if (!b) return undefined;
  if (typeof b.user_id === 'string') return b.user_id;
  if (typeof b.user === 'string') return b.user;
  if (b.user && typeof b.user === 'object' && typeof b.user.id === 'string') return b.user.id;
  if (typeof b.event?.user === 'string') return b.event.user;
  return undefined;
}
