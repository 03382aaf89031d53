/**
 * The database a benchmark runs on: MONGODB_URI if set, else one started by scripts/db.sh
 * (mongod or FerretDB) in a temporary folder, stopped and removed by close().
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../src/store/connection';

const root = path.resolve(__dirname, '../..');

export interface BenchDatabase {
  conn: Connection;
  /** Drops the benchmark's database and stops the server this benchmark started. */
  close(): Promise<void>;
}

export async function openBenchDatabase(name: string): Promise<BenchDatabase> {
  let dir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-bench-db-'));
    uri = execFileSync('bash', [path.join(root, 'scripts/db.sh'), 'start', '--dir', dir], { encoding: 'utf8' }).trim();
  }
  const conn = await connectDatabase({ uri, dbName: `bench_${name}_${process.pid}` });
  await conn.db!.dropDatabase();
  return {
    conn,
    async close() {
      await conn.db?.dropDatabase().catch(() => undefined);
      await conn.close();
      if (dir) {
        execFileSync('bash', [path.join(root, 'scripts/db.sh'), 'stop', '--dir', dir], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
