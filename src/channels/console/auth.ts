/**
 * Console authentication. In development the console is open (it is a tool on the developer's
 * own machine). In production, or whenever CONSOLE_AUTH_TOKEN is set, every page and API call
 * needs the token: as `Authorization: Bearer <token>` or in the HttpOnly cookie the login form
 * sets (EventSource cannot send headers, so the browser uses the cookie).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../../config';
import { CONSOLE_PATH } from './layout';

export const CONSOLE_COOKIE = 'steward_console';

export interface ConsoleAuth {
  required: boolean;
  /** Whether the request carries the right token (always true when auth is not required). */
  allows(req: Request): boolean;
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

export function consoleAuth(config: Pick<Config, 'env' | 'console' | 'publicUrl'>): ConsoleAuth {
  const expected = config.console.authToken;
  const required = config.env === 'production' || Boolean(expected);
  const secure = config.publicUrl.startsWith('https://');
  const cookie = (value: string, maxAge: number) =>
    `${CONSOLE_COOKIE}=${encodeURIComponent(value)}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  const check = (token: string | undefined): boolean =>
    // Production without a token cannot start (config.ts); refuse anyway rather than open up.
    Boolean(expected && token !== undefined && tokensEqual(token, expected));

  return {
    required,
    allows: (req) => !required || check(presented(req)),
    login(token, _req, res) {
      if (!check(token)) return false;
      res.setHeader('Set-Cookie', cookie(token, 12 * 3600));
      return true;
    },
    logout(res) {
      res.setHeader('Set-Cookie', cookie('', 0));
    },
  };
}
