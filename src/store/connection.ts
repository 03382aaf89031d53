/**
 * One mongoose connection per process. Works on MongoDB 6+ and on FerretDB 1.x, so nothing
 * here relies on transactions, change streams or $lookup.
 */
import mongoose from 'mongoose';
import { reportSwallowed } from '../observability/swallowed';
import { guardDriverWrites } from './driverGuard';

export interface DatabaseOptions {
  uri: string;
  dbName?: string;
  /** How long a query waits for a server before failing (readiness must answer quickly). */
  serverSelectionTimeoutMS?: number;
  /** Connections at most (default 20; see connectDatabase). */
  maxPoolSize?: number;
}

/**
 * The driver's default is 100. Under a burst (bench/slack.bench.ts at 200-400 commands/s) the
 * pool grew towards it, and every new connection cost the database server (FerretDB above all)
 * a handshake while it was already saturated, so a burst fed itself. Waiting a moment for one of
 * 20 connections costs nearly nothing; a bigger server can take more (maxPoolSize in the URI).
 */
const DEFAULT_MAX_POOL_SIZE = 20;

export async function connectDatabase(opts: DatabaseOptions): Promise<mongoose.Connection> {
  // Without it, a connection dropped mid-write can leave the driver unable to reconnect (driverGuard.ts).
  guardDriverWrites();
  const conn = mongoose.createConnection(opts.uri, {
    dbName: opts.dbName,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
    // FerretDB has no retryable writes (no replica set), so they are off by default; a
    // retryWrites in the URI (Atlas puts retryWrites=true there) wins, because the driver gives
    // explicit options priority over the URI's and would otherwise silently turn them off.
    ...(/[?&]retryWrites=/i.test(opts.uri) ? {} : { retryWrites: false }),
    autoIndex: true,
    // A maxPoolSize in MONGODB_URI wins, so operators can size it without a code change.
    ...(/[?&]maxPoolSize=/i.test(opts.uri) ? {} : { maxPoolSize: opts.maxPoolSize ?? DEFAULT_MAX_POOL_SIZE }),
  });
  // Without a listener, a dropped connection is an unhandled 'error' event that kills the process;
  // the driver reconnects by itself, so the error is logged and counted, not thrown.
  conn.on('error', (err: unknown) => reportSwallowed('db_connection', err));
  await conn.asPromise();
  return conn;
}

/** Pings the server; resolves with null when reachable, else the reason. */
export async function pingDatabase(conn: mongoose.Connection, timeoutMs = 2000): Promise<string | null> {
  try {
    const db = conn.db;
    if (!db) return 'not connected';
    await Promise.race([
      db.command({ ping: 1 }),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
