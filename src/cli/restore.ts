/**
 * Restores a backup (npm run backup) into an EMPTY database, then verifies the audit trail with
 * AUDIT_SIGNING_KEY (the key of the servers that wrote it) and re-applies erasures.
 *
 *   MONGODB_URI=… MONGODB_DB=steward_restored npm run restore -- --in steward.ejson.gz
 *
 * Erasures: personal-data keys of people whose erasure the restored trail records are destroyed
 * again (a backup copied while an erasure ran may hold both). A backup OLDER than an erasure
 * does not know of it: erase those people again by id (`npm run person -- erase <person id>
 * --as <admin>`; the ids are the subjects of the live trail's `person.erased` entries). Exit codes: 0 restored and verified, 1 refused, failed or the trail does
 * not verify, 2 usage or configuration.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { describeVerification, verifyAudit } from '../domain/audit/verifyAudit';
import { createRepositories } from '../store';
import { RestoreRefused, restoreDatabase } from '../store/backup';
import { reapplyErasures } from '../store/personVault';
import { cliDatabase } from './database';
import { runCli } from './runCli';

const USAGE = 'Usage: npm run restore -- --in <file.ejson.gz>   (into MONGODB_DB, which must be empty)';

async function main(argv: string[]): Promise<number> {
  let input: string | undefined;
  try {
    input = parseArgs({ args: argv, options: { in: { type: 'string' } } }).values.in;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (!input) {
    console.error(`--in is required.\n${USAGE}`);
    return 2;
  }
  const db = await cliDatabase();
  if ('exitCode' in db) return db.exitCode;
  const { conn, auditSigningKey } = db;
  try {
    const summary = await restoreDatabase(conn.db!, createReadStream(input).pipe(createGunzip()));
    const total = Object.values(summary.collections).reduce((a, b) => a + b, 0);
    console.log(`Restored ${Object.keys(summary.collections).length} collections (${total} documents) into ${conn.db!.databaseName}.`);
    const erased = await reapplyErasures(conn);
    if (erased) console.log(`Re-applied ${erased} erasure(s) recorded after the backup's personal-data keys were copied.`);
    const result = await verifyAudit(createRepositories(conn, { auditSigningKey }).audit);
    console.log(describeVerification(result));
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof RestoreRefused) {
      console.error(`Refused: ${e.message}.`);
      return 1;
    }
    throw e;
  } finally {
    await conn.close();
  }
}

runCli('restore', () => main(process.argv.slice(2)));
