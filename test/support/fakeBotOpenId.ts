/**
 * A loopback stand-in for the Bot Framework's token signing keys, configured only in tests:
 *   GET /v1/.well-known/openidconfiguration  -> { issuer, jwks_uri, … } (the channel's OpenID document)
 *   GET /v1/.well-known/keys                 -> { keys: [{ kty, use, kid, n, e, endorsements }] }
 * It holds one RSA key pair and mints channel tokens the way the Bot Connector signs them
 * (RS256, iss https://api.botframework.com, aud = the bot's app id, serviceurl = the activity's
 * serviceUrl), plus the forgeries an attacker would try: HS256 with the app password, a key of
 * their own under the published key id, an expired token. Listens on 127.0.0.1 only.
 */
import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceClientCredentialsFactory, MicrosoftAppCredentials } from 'botframework-connector';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

const b64url = (x: Buffer | string): string => Buffer.from(x).toString('base64url');

export interface TokenClaims {
  aud: string;
  serviceurl: string;
  iss?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

export class FakeBotOpenId {
  readonly kid = 'steward-test-key-1';
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;
  private base = '';
  /** Requests served (a refused token must not need more than the cached keys). */
  readonly requests: string[] = [];

  get metadataUrl(): string {
    return `${this.base}/v1/.well-known/openidconfiguration`;
  }

  /** The public key as PEM, to assert it never shows up in any output. */
  get publicPem(): string {
    return this.keys.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '');
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/v1/.well-known/openidconfiguration') {
        return json({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
      }
      if (req.url === '/v1/.well-known/keys') {
        const jwk = this.keys.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
        return json({ keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
      }
      res.writeHead(404).end();
    });
    this.server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => this.server!.once('listening', () => resolve()));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** botbuilder settings that make ConfigurationBotFrameworkAuthentication check tokens against this server. */
  settings(): Record<string, string> {
    return {
      ToBotFromChannelOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      ToChannelFromBotOAuthScope: CHANNEL_ISSUER,
      // Never contacted: the test credentials below send no token.
      ToChannelFromBotLoginUrl: `${this.base}/login`,
      OAuthUrl: `${this.base}/oauth`,
      CallerId: 'urn:botframework:azure',
    };
  }

  private payload(c: TokenClaims): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (c.expiresIn ?? 3600);
    return { iss: c.iss ?? CHANNEL_ISSUER, aud: c.aud, serviceurl: c.serviceurl, nbf: Math.min(now, exp) - 600, iat: Math.min(now, exp) - 600, exp };
  }

  private rs256(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
  }

  /** A genuine channel token. */
  token(c: TokenClaims): string {
    return this.rs256(this.payload(c), this.keys.privateKey, this.kid);
  }

  /** HS256 keyed with the app password (the "alg confusion" forgery), under the published kid. */
  hs256WithPassword(c: TokenClaims, appPassword: string): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.kid }));
    const body = b64url(JSON.stringify(this.payload(c)));
    return `${head}.${body}.${b64url(createHmac('sha256', appPassword).update(`${head}.${body}`).digest())}`;
  }

  /** Signed by the attacker's own key, reusing the published key id. */
  foreignKey(c: TokenClaims): string {
    const own = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.rs256(this.payload(c), createPrivateKey(own.privateKey.export({ type: 'pkcs8', format: 'pem' })), this.kid);
  }
}

/** Credentials that sign outbound calls with no token (the fake connector needs none). */
export class NoTokenCredentials extends ServiceClientCredentialsFactory {
  constructor(private readonly appId: string) {
    super();
  }
  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials(): Promise<MicrosoftAppCredentials> {
    return MicrosoftAppCredentials.Empty;
  }
}
