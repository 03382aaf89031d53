/**
 * Exports the audit trail as JSON lines (one entry per line, by time, with its hash chain),
 * for auditors and SIEM import; --verify also checks every stream's chain and the newest
 * signed checkpoint, and exits 1 when an entry was changed, forged or removed.
 *
 *   MONGODB_URI=… npm run audit:export > audit.jsonl
 *   MONGODB_URI=… npm run audit:export -- --out audit.jsonl --verify
 *
 * Reads MONGODB_URI, MONGODB_DB (default steward) and AUDIT_SIGNING_KEY (the server's key;
 * outside production, absent means the development key in data/). Lines go to stdout unless --out is given;
 * messages then go to stderr, so stdout stays pure JSON lines.
 * Exit codes: 0 done (and the chain verifies), 1 broken chain or failure, 2 usage or configuration.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { exportAudit } from '../domain/audit/exportAudit';
import { describeVerification, verifyAudit } from '../domain/audit/verifyAudit';
import type { AuditRepository } from '../domain/ports';
import { createRepositories } from '../store';
import { cliDatabase } from './database';
import { runCli } from './runCli';

const USAGE = 'Usage: npm run audit:export [-- --out <file.jsonl>] [--verify]';

async function exportTo(repo: AuditRepository, out: string | undefined): Promise<number> {
  let lines = 0;
  async function* counted(): AsyncIterable<string> {
    for await (const line of exportAudit(repo)) {
      lines++;
      yield line;
    }
  }
  // Streamed with backpressure: the trail may be far larger than memory.
  if (out) await pipeline(Readable.from(counted()), createWriteStream(out));
  else await pipeline(Readable.from(counted()), process.stdout, { end: false });
  return lines;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { out: { type: 'string' }, verify: { type: 'boolean', default: false } } }).values;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const say = args.out ? console.log : console.error;
  const db = await cliDatabase();
  if ('exitCode' in db) return db.exitCode;
  const { conn, auditSigningKey } = db;
  try {
    const repo = createRepositories(conn, { auditSigningKey }).audit;
    const lines = await exportTo(repo, args.out);
    if (args.out) say(`Exported ${lines} audit ${lines === 1 ? 'entry' : 'entries'} to ${args.out}.`);
    if (!args.verify) return 0;
    const result = await verifyAudit(repo);
    say(describeVerification(result));
    return result.ok ? 0 : 1;
  } finally {
    await conn.close();
  }
}

runCli('audit:export', () => main(process.argv.slice(2)), { drainStdout: true });
