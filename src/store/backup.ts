/**
 * Backup and restore through the driver (issue 16): every collection streamed to one gzip'd
 * archive of Extended JSON lines (canonical EJSON, so dates, 64-bit integers and binary keep
 * their types), with each collection's indexes. In spirit what `mongodump --archive --gzip`
 * writes, readable with zcat and restorable without the MongoDB tools (which do not speak to
 * the embedded FerretDB).
 *
 * Archive, one JSON document a line:
 *   {"stewardBackup":1,"database":…,"startedAt":…}
 *   {"collection":<name>,"indexes":[…]}            then its documents: {"d":<EJSON>}
 *   …
 *   {"end":true,"counts":{<name>:<n>,…}}            absent in a truncated archive: restore refuses it
 *
 * Consistency without a snapshot: the history is append-only and everything else is a
 * projection of it or operational, so the history is copied LAST (checkpoints and pending marks
 * just before it). A backup taken while Steward runs then holds every version a projection or a
 * checkpoint refers to; projections left behind their history are repaired at start
 * (src/store/versioned.ts reprojectAll), as after a crash.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { BSON, type Db, type Document } from 'mongodb';

// The driver's own EJSON (bson is its dependency, not ours).
const { EJSON } = BSON;

/** Copied last, in this order (see above). */
const LAST = ['audit_checkpoints', 'history_pending', 'history'];
const BATCH = 500;

export interface BackupSummary {
  collections: Record<string, number>;
}

/** Writes a line, waiting when the stream asks to (the archive may be far larger than memory). */
async function writeLine(out: Writable, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
}

export async function backupDatabase(db: Db, out: Writable): Promise<BackupSummary> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.'));
  const ordered = [...names.filter((n) => !LAST.includes(n)).sort(), ...LAST.filter((n) => names.includes(n))];
  await writeLine(out, { stewardBackup: 1, database: db.databaseName, startedAt: new Date().toISOString() });
  const counts: Record<string, number> = {};
  for (const name of ordered) {
    const col = db.collection(name);
    const indexes = (await col.indexes()).filter((i) => i.name !== '_id_').map(({ v: _v, ns: _ns, ...rest }) => rest);
    await writeLine(out, { collection: name, indexes });
    let n = 0;
    for await (const doc of col.find({}, { batchSize: BATCH })) {
      await writeLine(out, { d: EJSON.serialize(doc, { relaxed: false }) });
      n++;
    }
    counts[name] = n;
  }
  await writeLine(out, { end: true, counts });
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { collections: counts };
}

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

/**
 * Restores an archive into an EMPTY database (refused otherwise: merging two trails would not
 * verify, and overwriting one is not a restore). Indexes first, so unique keys hold while the
 * documents go in. Refuses an archive without its end line (cut short) or with other counts.
 */
export async function restoreDatabase(db: Db, input: Readable): Promise<BackupSummary> {
  const existing = (await db.listCollections({}, { nameOnly: true }).toArray()).filter((c) => !c.name.startsWith('system.'));
  if (existing.length) throw new RestoreRefused(`database ${db.databaseName} is not empty (${existing.length} collections); restore into a new database`);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header = false;
  let current: string | undefined;
  let batch: Document[] = [];
  const counts: Record<string, number> = {};
  let expected: Record<string, number> | undefined;
  const flush = async () => {
    if (current && batch.length) await db.collection(current).insertMany(batch, { ordered: true });
    batch = [];
  };
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let item: any;
    try {
      item = JSON.parse(line);
    } catch {
      throw new RestoreRefused(`line ${lineNo} of the archive is not JSON (is it a Steward backup, and complete?)`);
    }
    if (!header) {
      if (item?.stewardBackup !== 1) throw new RestoreRefused('this is not a Steward backup archive (no stewardBackup header)');
      header = true;
    } else if (item.d !== undefined) {
      if (!current) throw new RestoreRefused(`line ${lineNo}: a document before any collection`);
      batch.push(EJSON.deserialize(item.d, { relaxed: false }) as Document);
      counts[current] = (counts[current] ?? 0) + 1;
      if (batch.length >= BATCH) await flush();
    } else if (typeof item.collection === 'string') {
      await flush();
      current = item.collection;
      counts[current!] = 0;
      await db.createCollection(current!);
      for (const index of item.indexes ?? []) {
        const { key, name, ...options } = index;
        await db.collection(current!).createIndex(key, { name, ...options });
      }
    } else if (item.end === true) {
      await flush();
      expected = item.counts;
    }
  }
  if (!header) throw new RestoreRefused('the archive is empty');
  if (!expected) throw new RestoreRefused('the archive has no end line: it was cut short; nothing after the last full collection can be trusted');
  for (const [name, n] of Object.entries(expected)) {
    if (counts[name] !== n) throw new RestoreRefused(`collection ${name}: the archive says ${n} documents, ${counts[name] ?? 0} were read`);
  }
  return { collections: counts };
}
