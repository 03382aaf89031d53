/**
 * Encrypts what an installation holds (bot and user tokens, refresh tokens) before it reaches
 * the database: AES-256-GCM with a key derived from SLACK_TOKEN_ENCRYPTION_KEY (scrypt, a fixed
 * application salt: the secret is already random), a fresh 96-bit nonce per record, and the
 * record's key as associated data, so a ciphertext copied onto another workspace's record does
 * not decrypt. Whoever can read the database, but not the configuration, gets no token.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const SALT = 'steward/slack-installations/v1';
const VERSION = 'v1';

export interface TokenCipher {
  seal(plaintext: string, associated: string): string;
  /** Throws when the key is wrong or the ciphertext, or its record key, was altered. */
  open(sealed: string, associated: string): string;
}

export function tokenCipher(secret: string): TokenCipher {
  const key = scryptSync(secret, SALT, 32);
  return {
    seal(plaintext, associated) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(associated, 'utf8'));
      const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
      return [VERSION, iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed, associated) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed installation');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      d.setAAD(Buffer.from(associated, 'utf8'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
    },
  };
}
