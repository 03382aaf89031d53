/**
 * Test databases are dropped a while after their file has ended, not in its own afterAll.
 *
 * Why: jest runs a file's afterAll hooks in the order they were declared, so useTestDatabase's
 * hook (declared first, at the top of the file) ran before the file's own hooks had stopped its
 * workers and killed its child processes, and those went on writing (creating collections) into
 * the database being dropped. FerretDB's SQLite backend can crash on that race (SIGBUS in the WAL
 * index of a database recreated while being removed), and the whole run then loses its server:
 * one CI run had 30 suites fail with ECONNREFUSED after such a crash.
 *
 * So a file only records its database as retired; a file starting later drops the databases
 * retired more than GRACE_MS ago (each once: claimed with an exclusive file create), when nothing
 * of theirs can still be running. What is left is removed with the server's directory at teardown.
 */
import { appendFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type mongoose from 'mongoose';

const GRACE_MS = 60_000;
const dir = () => process.env.STEWARD_TEST_DB_DIR;

export function retireDatabase(dbName: string): void {
  const d = dir();
  if (d && dbName) appendFileSync(path.join(d, 'retired.jsonl'), `${JSON.stringify({ dbName, at: Date.now() })}\n`);
}

/** Drops databases retired long enough ago that no straggler of their file can still write to them. */
export async function dropRetiredDatabases(conn: mongoose.Connection): Promise<number> {
  const d = dir();
  if (!d) return 0;
  let lines: string[];
  try {
    lines = readFileSync(path.join(d, 'retired.jsonl'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return 0; // nothing retired yet
  }
  let dropped = 0;
  for (const line of lines) {
    const { dbName, at } = JSON.parse(line) as { dbName: string; at: number };
    if (Date.now() - at < GRACE_MS) continue;
    try {
      closeSync(openSync(path.join(d, `dropped-${dbName}`), 'wx')); // one file drops it
    } catch {
      continue;
    }
    await conn.useDb(dbName, { useCache: false }).dropDatabase().catch(() => undefined);
    dropped++;
  }
  return dropped;
}
