/**
 * Console authentication. In development with no token configured the console is open (a tool
 * on the developer's own machine: pick anyone and act as them). In production, or whenever a
 * token is configured, every page and API call needs a token, as `Authorization: Bearer <token>`
 * or in the HttpOnly cookie the login form sets (EventSource cannot send headers):
 *   - a personal token (CONSOLE_USER_TOKENS, email=token) identifies one person: the console
 *     acts only as them, so separation of duties and the audit trail hold;
 *   - the shared CONSOLE_AUTH_TOKEN alone is read-only: pages and dashboard, no commands.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config, ConsoleUserToken } from '../../config';
import { CONSOLE_PATH } from './layout';

export const CONSOLE_COOKIE = 'steward_console';

/** What the console reads from the config. */
export type ConsoleAuthConfig = Pick<Config, 'env' | 'console' | 'publicUrl'>;

/** Who is at the keyboard, as far as the console can tell. */
export type ConsoleSession =
  /** Development with no token: act as anyone (the person picker). */
  | { kind: 'open' }
  /** The shared token: may look, may not act. */
  | { kind: 'reader' }
  /** A personal token: may act, only as the person with this email. */
  | { kind: 'person'; email: string };

export interface ConsoleAuth {
  required: boolean;
  /** The session the request's token opens; null when auth is required and the token is missing or wrong. */
  identify(req: Request): ConsoleSession | null;
  /** Checks a token typed into the login form; sets the cookie when it is right. */
  login(token: string, req: Request, res: Response): boolean;
  logout(res: Response): void;
}

// Hashing first gives equal-length buffers, so the comparison time depends on neither
// the token's length nor where the first difference is.
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function presented(req: Request): string | undefined {
  const h = req.get('authorization');
  const bearer = h && /^Bearer\s+(.+)$/i.exec(h.trim());
  return bearer ? bearer[1] : readCookie(req.get('cookie'), CONSOLE_COOKIE);
}

/**
 * The session a token opens. Every configured token is compared (no early return), so the time
 * taken says nothing about which token, if any, matched. A personal token wins over the shared
 * one should they ever be equal.
 */
export function sessionFor(token: string | undefined, shared: string | undefined, users: readonly ConsoleUserToken[]): ConsoleSession | null {
  if (token === undefined || token === '') return null;
  let person: string | undefined;
  for (const u of users) if (tokensEqual(token, u.token) && person === undefined) person = u.email;
  const reader = shared ? tokensEqual(token, shared) : false;
  if (person !== undefined) return { kind: 'person', email: person };
  return reader ? { kind: 'reader' } : null;
}

export function consoleAuth(config: ConsoleAuthConfig): ConsoleAuth {
  const shared = config.console.authToken;
  // config.ts refuses empty entries; filtering again keeps an empty token from ever matching.
  const users = config.console.userTokens.filter((u) => u.token && u.email);
  const required = config.env === 'production' || Boolean(shared) || users.length > 0;
  const secure = config.publicUrl.startsWith('https://');
  const cookie = (value: string, maxAge: number) =>
    `${CONSOLE_COOKIE}=${encodeURIComponent(value)}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  return {
    required,
    // Production without a token cannot start (config.ts); with none, nothing matches: refuse rather than open up.
    identify: (req) => (required ? sessionFor(presented(req), shared, users) : { kind: 'open' }),
    login(token, _req, res) {
      if (!sessionFor(token, shared, users)) return false;
      res.setHeader('Set-Cookie', cookie(token, 12 * 3600));
      return true;
    },
    logout(res) {
      res.setHeader('Set-Cookie', cookie('', 0));
    },
  };
}
