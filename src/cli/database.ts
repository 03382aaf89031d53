/** The database an operator CLI works on: MONGODB_URI / MONGODB_DB, with readable refusals. */
import type { Connection } from 'mongoose';
import { auditSigningKeyFromEnv } from '../auditSigningKey';
import { ConfigError } from '../config';
import { connectDatabase } from '../store/connection';

/** With the audit signing key: a CLI that writes or verifies the trail must use the server's key. */
export type CliDatabase = { conn: Connection; auditSigningKey: string } | { exitCode: number };

export async function cliDatabase(hint = ''): Promise<CliDatabase> {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error(`MONGODB_URI is not set: point it at Steward's database${hint}.`);
    return { exitCode: 2 };
  }
  const key = cliAuditSigningKey();
  if (typeof key !== 'string') return key;
  try {
    return { conn: await connectDatabase({ uri, dbName: process.env.MONGODB_DB || 'steward' }), auditSigningKey: key };
  } catch (e) {
    console.error(`Cannot reach the database at MONGODB_URI (${e instanceof Error ? e.message : String(e)}).`);
    return { exitCode: 1 };
  }
}

/** AUDIT_SIGNING_KEY (or, outside production, the development key file), or exit code 2 with the reason. */
export function cliAuditSigningKey(): string | { exitCode: number } {
  try {
    return auditSigningKeyFromEnv(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.problems.join('\n'));
    return { exitCode: 2 };
  }
}
