/**
 * How the Slack Web API client reaches Slack: SLACK_API_URL (GovSlack, an API gateway) and the
 * standard proxy variables. @slack/web-api 8 calls `fetch`; Node's global fetch ignores
 * HTTPS_PROXY, so with a proxy configured the client gets undici's fetch with an
 * EnvHttpProxyAgent (CONNECT tunnels for https, NO_PROXY honoured). Without one, nothing changes.
 */
import type { webApi } from '@slack/bolt';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import type { ProxyConfig } from '../../config';

type WebClientOptions = webApi.WebClientOptions;

export interface SlackTransportConfig {
  /** Ends with '/' (config.ts adds it). */
  apiUrl?: string;
  proxy?: ProxyConfig;
}

/** Whether any proxy variable is set (NO_PROXY alone changes nothing). */
const proxied = (p?: ProxyConfig): p is ProxyConfig => Boolean(p?.httpsProxy || p?.httpProxy);

/** The WebClient options for this transport: the API base and, behind a proxy, the fetch to use. */
export function slackTransportOptions(config: SlackTransportConfig): Pick<WebClientOptions, 'slackApiUrl' | 'fetch'> {
  const out: Pick<WebClientOptions, 'slackApiUrl' | 'fetch'> = {};
  if (config.apiUrl) out.slackApiUrl = config.apiUrl;
  if (proxied(config.proxy)) {
    const dispatcher = new EnvHttpProxyAgent({
      // An unset one means "direct" for that scheme; empty strings stop undici reading process.env itself.
      httpProxy: config.proxy.httpProxy ?? '',
      httpsProxy: config.proxy.httpsProxy ?? '',
      noProxy: config.proxy.noProxy ?? '',
    });
    out.fetch = ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as WebClientOptions['fetch'];
  }
  return out;
}

/**
 * Slack's pages live beside its API: https://host/api/ -> https://host/oauth/v2/authorize.
 * Undefined for a base without `/api/` (Slack's default authorize URL is then right).
 */
export function slackAuthorizeUrl(apiUrl?: string): string | undefined {
  if (!apiUrl) return undefined;
  const u = new URL(apiUrl);
  if (!u.pathname.endsWith('/api/')) return undefined;
  u.pathname = `${u.pathname.slice(0, -'api/'.length)}oauth/v2/authorize`;
  return u.toString();
}
