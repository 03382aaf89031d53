/**
 * Backs up Steward's database to one gzip'd archive of Extended JSON lines (src/store/backup.ts).
 *
 *   MONGODB_URI=… MONGODB_DB=steward npm run backup -- --out steward.ejson.gz
 *
 * Without --out the archive is `steward-<database>-<UTC time>.ejson.gz` in the current folder.
 * Safe while Steward runs (the history is copied last). Exit codes: 0 done, 1 failed, 2 usage or
 * configuration.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { backupDatabase } from '../store/backup';
import { connectDatabase } from '../store/connection';
import { runCli } from './runCli';

const USAGE = 'Usage: npm run backup [-- --out <file.ejson.gz>]';

async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  try {
    out = parseArgs({ args: argv, options: { out: { type: 'string' } } }).values.out;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error("MONGODB_URI is not set: point it at Steward's database.");
    return 2;
  }
  const dbName = process.env.MONGODB_DB || 'steward';
  const file = out ?? `steward-${dbName}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}Z.ejson.gz`;
  const conn = await connectDatabase({ uri, dbName });
  try {
    const gzip = createGzip();
    const sink = createWriteStream(file, { flags: 'wx' }); // never overwrite an earlier backup
    const written = new Promise<void>((resolve, reject) => {
      sink.once('finish', resolve);
      sink.once('error', reject);
      gzip.once('error', reject);
    });
    gzip.pipe(sink);
    const summary = await backupDatabase(conn.db!, gzip);
    await written;
    const total = Object.values(summary.collections).reduce((a, b) => a + b, 0);
    console.log(`Backed up ${Object.keys(summary.collections).length} collections (${total} documents) of ${dbName} to ${file}.`);
    return 0;
  } finally {
    await conn.close();
  }
}

runCli('backup', () => main(process.argv.slice(2)));
