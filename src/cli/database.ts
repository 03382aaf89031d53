/** The database an operator CLI works on: MONGODB_URI / MONGODB_DB, with readable refusals. */
import type { Connection } from 'mongoose';
import { connectDatabase } from '../store/connection';

export type CliDatabase = { conn: Connection } | { exitCode: number };

export async function cliDatabase(hint = ''): Promise<CliDatabase> {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error(`MONGODB_URI is not set: point it at Steward's database${hint}.`);
    return { exitCode: 2 };
  }
  try {
    return { conn: await connectDatabase({ uri, dbName: process.env.MONGODB_DB || 'steward' }) };
  } catch (e) {
    console.error(`Cannot reach the database at MONGODB_URI (${e instanceof Error ? e.message : String(e)}).`);
    return { exitCode: 1 };
  }
}
