import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.STEWARD_TEST_DB_DIR;
  if (!dir) return;
  const root = path.resolve(__dirname, '../..');
  execFileSync('bash', [path.join(root, 'scripts/db.sh'), 'stop', '--dir', dir], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
}
