/**
 * The audit signing key a process uses: AUDIT_SIGNING_KEY when set (always, in production:
 * loadConfig refuses to start without it); otherwise a random key generated once and kept in
 * `data/audit-signing.key` (mode 0600), so every development process and CLI on a checkout signs
 * and verifies with the same key across restarts. Kept apart from config.ts, which stays pure.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_KEY_REQUIRED, auditSigningKeyVariable, type Config, ConfigError, MIN_AUDIT_SIGNING_KEY_LENGTH } from './config';

/** Where development keeps what must survive restarts but never be committed (gitignored). */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '..', 'data');
export const DEV_AUDIT_KEY_FILE = 'audit-signing.key';

export function resolveAuditSigningKey(config: Pick<Config, 'env' | 'auditSigningKey'>, dataDir: string = DEFAULT_DATA_DIR): string {
  if (config.auditSigningKey) return config.auditSigningKey;
  if (config.env === 'production') throw new ConfigError([AUDIT_KEY_REQUIRED]);
  const file = path.join(dataDir, DEV_AUDIT_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing !== undefined) return existing;
  mkdirSync(dataDir, { recursive: true });
  // Written whole to a private temp file, then linked into place: link never overwrites, so of
  // two processes starting together exactly one key wins, and nobody reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return readKeyFile(file)!;
}

/**
 * The same key for an operator CLI, from NODE_ENV and AUDIT_SIGNING_KEY alone. ConfigError
 * when the variable is malformed or, in production, missing.
 */
export function auditSigningKeyFromEnv(env: NodeJS.ProcessEnv = process.env, dataDir?: string): string {
  const { key, production } = auditSigningKeyVariable(env);
  return resolveAuditSigningKey({ env: production ? 'production' : 'development', auditSigningKey: key }, dataDir);
}

function readKeyFile(file: string): string | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const key = raw.trim();
  if (key.length < MIN_AUDIT_SIGNING_KEY_LENGTH || /\s/.test(key)) {
    throw new ConfigError([`AUDIT_SIGNING_KEY: ${file} does not hold a usable key (expected at least ${MIN_AUDIT_SIGNING_KEY_LENGTH} characters); set AUDIT_SIGNING_KEY or restore the file`]);
  }
  return key;
}
