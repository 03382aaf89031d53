/**
 * A database of the run's real server for one test file: unique name, dropped afterwards.
 * Call at the top level of a test file; use `.conn` inside tests.
 */
import type mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { connectDatabase } from '../../src/store/connection';
import { dropRetiredDatabases, retireDatabase } from './retiredDatabases';

export interface TestDatabase {
  conn: mongoose.Connection;
  uri: string;
  dbName: string;
}

export function testDbName(hint = 'test'): string {
  const base = (expect.getState().testPath ?? hint).split('/').pop()!.replace(/\.test\.ts$/, '');
  return `t_${base.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 30)}_${randomBytes(3).toString('hex')}`;
}

export function useTestDatabase(hint?: string): TestDatabase {
  const uri = process.env.STEWARD_TEST_MONGODB_URI;
  if (!uri) throw new Error('STEWARD_TEST_MONGODB_URI is not set: run tests through jest (globalSetup starts the database)');
  const db = { uri, dbName: '', conn: undefined as unknown as mongoose.Connection };
  beforeAll(async () => {
    db.dbName = testDbName(hint);
    db.conn = await connectDatabase({ uri, dbName: db.dbName });
    await dropRetiredDatabases(db.conn);
  });
  // Not dropped here: this hook runs before the file's own cleanup (see retiredDatabases.ts).
  afterAll(async () => {
    if (db.conn) {
      retireDatabase(db.dbName);
      await db.conn.close();
    }
  });
  return db;
}
