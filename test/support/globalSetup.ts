/**
 * Starts one real database server for the whole run (scripts/db.sh: MONGODB_URI, mongod or
 * FerretDB). Workers inherit STEWARD_TEST_MONGODB_URI; each test file uses its own database.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-test-db-'));
  const root = path.resolve(__dirname, '../..');
  const uri = execFileSync('bash', [path.join(root, 'scripts/db.sh'), 'start', '--dir', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  process.env.STEWARD_TEST_MONGODB_URI = uri;
  process.env.STEWARD_TEST_DB_DIR = dir;
}
