/**
 * One zod schema per kind of environment variable (text, flags, URLs, ids, keys…), each naming
 * what it expected when it fails. src/config.ts assembles them into the schema of process.env.
 */
import { z } from 'zod';
import type { ConsoleUserToken } from './configTypes';

// ---- one zod schema per kind of variable; each failure says what was expected ----

/** Unset and empty are the same thing: `FOO=` in a compose file means "not configured". */
export function variable<T>(expected: string, parse: (raw: string) => T | undefined, opts: { secret?: boolean } = {}) {
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

export const text = (opts: { secret?: boolean } = {}) => variable('a non-empty string', (s) => s, opts);

export const oneOf = <const T extends readonly string[]>(values: T) =>
  variable(`one of ${values.join(', ')}`, (s) => values.find((v) => v === s) as T[number] | undefined);

export const integer = (min: number, max: number) =>
  variable(`an integer ${min}-${max}`, (s) => {
    if (!/^\d+$/.test(s)) return undefined;
    const n = Number(s);
    return n >= min && n <= max ? n : undefined;
  });

/** A decimal such as 0.8, within [min, max]. */
export const fraction = (min: number, max: number) =>
  variable(`a number ${min}-${max}`, (s) => {
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) return undefined;
    const n = Number(s);
    return n >= min && n <= max ? n : undefined;
  });

export const TRUE = ['true', '1', 'yes', 'on'];
export const FALSE = ['false', '0', 'no', 'off'];
export const flag = () =>
  variable('true or false', (s) => (TRUE.includes(s.toLowerCase()) ? true : FALSE.includes(s.toLowerCase()) ? false : undefined));

export const httpUrl = () =>
  variable('an http(s) URL such as https://steward.example.com', (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:' ? s.replace(/\/+$/, '') : undefined;
    } catch {
      return undefined;
    }
  });

export const mongoUri = () =>
  variable(
    'a connection string starting with mongodb:// or mongodb+srv://',
    (s) => (/^mongodb(\+srv)?:\/\/\S+$/.test(s) ? s : undefined),
    { secret: true },
  );

/**
 * Slack requests whose work may run at once per process (after the ack). Measured with
 * bench/slack.bench.ts: enough to keep the database busy; beyond it work only queues in memory.
 */
export const DEFAULT_SLACK_MAX_IN_FLIGHT = 64;

/** A console token shorter than this is guessable; production refuses it. */
export const MIN_CONSOLE_TOKEN_LENGTH = 16;

/**
 * `email=token,email=token`. Each problem names the entry by position and email, never the
 * token. Emails are compared case-insensitively, so they are lower-cased here.
 */
export const userTokens = () =>
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

export const signingKey = () =>
  variable(
    `at least ${MIN_AUDIT_SIGNING_KEY_LENGTH} characters without spaces (e.g. the output of \`openssl rand -hex 32\`)`,
    (s) => (s.length >= MIN_AUDIT_SIGNING_KEY_LENGTH && !/\s/.test(s) ? s : undefined),
    { secret: true },
  );

/** A comma-separated list of ids, each matching `pattern` (duplicates dropped, order kept). */
export const idList = (expected: string, pattern: RegExp, normalise: (s: string) => string = (s) => s) =>
  variable(`a comma-separated list of ${expected}`, (s) => {
    const ids = s.split(',').map((x) => normalise(x.trim()));
    return ids.every((id) => pattern.test(id)) ? [...new Set(ids)] : undefined;
  });

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// MongoDB's own rule for database names (and short enough for FerretDB).
export const dbName = () =>
  variable('a database name of 1-63 letters, digits, _ or -', (s) => (/^[A-Za-z0-9_-]{1,63}$/.test(s) ? s : undefined));
