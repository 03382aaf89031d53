import type { AuditRepository, StreamHead } from '../ports';
import { checkAgainstCheckpoint, type TrailProblem, whereOf } from './checkpointCheck';
import { GENESIS_HASH } from './hash';

export interface AuditVerification {
  ok: boolean;
  entries: number;
  streams: number;
  /** The newest checkpoint the trail was checked against, if any. */
  checkpoint?: { seq: number; at: Date };
  /** The first problem found (the lowest version of the first stream, by name). */
  firstBroken?: TrailProblem;
}

/**
 * What the link check keeps of each entry: its version and the first 52 bits of its hash and
 * of the hash it links to. Enough to tell a replaced entry from the signed one (the stored
 * prevHash is itself under the HMAC), and small enough to hold a million entries in memory.
 */
interface Links {
  versions: number[];
  hashes: number[];
  prevs: number[];
}
const prefix = (hash: unknown): number => (typeof hash === 'string' ? parseInt(hash.slice(0, 13), 16) : NaN);
const GENESIS = prefix(GENESIS_HASH);

/** At one (stream, version), a missing or doubled entry is reported before a broken link, a broken link before changed content. */
const RANK = { order: 0, link: 1, content: 2 } as const;
type Ranked = TrailProblem & { rank: number };
const before = (a: Ranked, b: Ranked | undefined): boolean =>
  !b || (a.stream !== b.stream ? a.stream < b.stream : a.version !== b.version ? a.version < b.version : a.rank < b.rank);

/**
 * Checks every stream's chain (versions 1…n without gaps, each linked to the one before, each
 * hash recomputed with the signing key), then the newest signed checkpoint: every head it
 * signed must still be there with the same hash. Detects a changed entry, a forged or
 * re-hashed one (without the key), and, for what a checkpoint covers, deleted last entries and
 * a deleted stream or trail. Entries written after the newest checkpoint are covered by the next.
 *
 * One unordered pass over the trail (a sorted walk costs a full scan per page on FerretDB),
 * then the links are checked stream by stream in memory.
 */
export async function verifyAudit(repo: AuditRepository): Promise<AuditVerification> {
  // Read first: everything it signed was written before it, so the pass below must see it all.
  const cp = await repo.latestCheckpoint();
  const signed = new Set((cp?.heads ?? []).map((h) => `${h.stream}#${h.version}`));
  const hashAt = new Map<string, string>();
  const streams = new Map<string, Links>();
  const heads = new Map<string, StreamHead>();
  let count = 0;
  let first: Ranked | undefined;
  const found = (p: Ranked) => {
    if (before(p, first)) first = p;
  };
  for await (const entry of repo.all('stored')) {
    count++;
    const { hash, ...rest } = entry;
    const { stream, version } = entry;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      found({ stream, version: 0, rank: RANK.order, reason: `an entry's version was changed to ${JSON.stringify(version)}` });
      continue;
    }
    if (repo.hashOf(rest) !== hash) {
      found({ stream, version, rank: RANK.content, reason: 'the content does not match its signed hash (the entry was changed or forged)' });
    }
    let links = streams.get(stream);
    if (!links) streams.set(stream, (links = { versions: [], hashes: [], prevs: [] }));
    links.versions.push(version);
    links.hashes.push(prefix(hash));
    links.prevs.push(prefix(entry.prevHash));
    const head = heads.get(stream);
    if (!head || version > head.version) heads.set(stream, { stream, version, hash });
    if (signed.has(`${stream}#${version}`)) hashAt.set(`${stream}#${version}`, hash);
  }
  for (const [stream, links] of streams) {
    const order = links.versions.map((_, i) => i).sort((a, b) => links.versions[a]! - links.versions[b]!);
    let expected = 1;
    let prev = GENESIS;
    for (const i of order) {
      const version = links.versions[i]!;
      if (version < expected) {
        found({ stream, version, rank: RANK.order, reason: 'a second entry claims this version (one of them was forged)' });
      } else if (version !== expected) {
        found({ stream, version: expected, rank: RANK.order, reason: `the entry is missing (the stream goes on at version ${version})` });
      } else if (links.prevs[i] !== prev) {
        found({ stream, version, rank: RANK.link, reason: 'the entry does not link to the one before it' });
      }
      // Past a problem the walk goes on; what it finds later in this stream has a higher version and cannot come first.
      prev = links.hashes[i]!;
      expected = version + 1;
    }
  }
  let broken: TrailProblem | undefined = first && { stream: first.stream, version: first.version, reason: first.reason };
  if (cp) broken ??= checkAgainstCheckpoint(repo, cp, heads, hashAt);
  return {
    ok: !broken,
    entries: count,
    streams: heads.size,
    ...(cp ? { checkpoint: { seq: cp.seq, at: cp.at } } : {}),
    ...(broken ? { firstBroken: broken } : {}),
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The verdict in one sentence, for the CLI and chat. */
export function describeVerification(v: AuditVerification): string {
  if (v.firstBroken) return `Audit trail BROKEN at ${whereOf(v.firstBroken)}: ${v.firstBroken.reason}.`;
  const what = `${plural(v.entries, 'entry', 'entries')} in ${plural(v.streams, 'stream', 'streams')}`;
  if (!v.checkpoint) {
    return `Audit trail verified: ${what}, every hash and link intact. No signed checkpoint yet, so deleted newest entries could not be detected.`;
  }
  return `Audit trail verified: ${what}, every hash and link intact, and everything checkpoint ${v.checkpoint.seq} (${v.checkpoint.at.toISOString()}) signed is still there.`;
}
