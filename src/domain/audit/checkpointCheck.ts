/**
 * What a signed checkpoint promises about the trail that follows it: every stream it signed is
 * still there, at least at the signed version, and the entry at that version is the one it
 * signed. Used by verifyAudit and, before signing the next checkpoint, by checkpointAudit (so a
 * truncation is never signed over and forgotten five minutes later).
 */
import type { AuditCheckpoint, AuditRepository, StreamHead } from '../ports';
import { checkpointBody } from './hash';

export interface TrailProblem {
  /** The stream, or '(checkpoint)' / '(trail)' for problems of the checkpoint or the whole trail. */
  stream: string;
  /** The entry's version (the checkpoint's seq for '(checkpoint)'). */
  version: number;
  reason: string;
}

export const hasValidSignature = (repo: Pick<AuditRepository, 'sign'>, cp: AuditCheckpoint): boolean => {
  const { signature, ...body } = cp;
  return repo.sign(checkpointBody(body)) === signature;
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The first way `heads` (the trail now) falls short of `cp`, or undefined. `hashAt` holds the
 * current hash of each signed version, keyed `<stream>#<version>` (absent: that entry is gone).
 */
export function checkAgainstCheckpoint(
  repo: Pick<AuditRepository, 'sign'>,
  cp: AuditCheckpoint,
  heads: Map<string, StreamHead>,
  hashAt: Map<string, string>,
): TrailProblem | undefined {
  if (!hasValidSignature(repo, cp)) {
    return { stream: '(checkpoint)', version: cp.seq, reason: `checkpoint ${cp.seq} does not carry a valid signature (it was changed or forged)` };
  }
  if (heads.size === 0 && cp.heads.length > 0) {
    return {
      stream: '(trail)',
      version: 0,
      reason: `the trail is empty, but checkpoint ${cp.seq} signed ${plural(cp.entries, 'entry', 'entries')} in ${plural(cp.heads.length, 'stream', 'streams')}`,
    };
  }
  const gone = cp.heads.filter((s) => !heads.has(s.stream));
  if (gone.length) {
    const first = gone[0]!;
    const others = gone.length > 1 ? ` (and ${plural(gone.length - 1, 'other stream', 'other streams')})` : '';
    return { stream: first.stream, version: 1, reason: `the whole stream was deleted${others}: checkpoint ${cp.seq} signed its versions 1–${first.version}` };
  }
  for (const signed of cp.heads) {
    const now = heads.get(signed.stream)!;
    if (now.version < signed.version) {
      const range = now.version + 1 === signed.version ? `version ${signed.version} was` : `versions ${now.version + 1}–${signed.version} were`;
      return { stream: signed.stream, version: now.version + 1, reason: `${range} deleted: checkpoint ${cp.seq} signed up to version ${signed.version}` };
    }
    // Same version, another entry: the signed one was removed and the version written again.
    if (hashAt.get(`${signed.stream}#${signed.version}`) !== signed.hash) {
      return { stream: signed.stream, version: signed.version, reason: `the entry is not the one checkpoint ${cp.seq} signed (it was replaced)` };
    }
  }
  return undefined;
}

/** "usecase:UC-3 version 4", "checkpoint 7", "the trail". */
export function whereOf(p: TrailProblem): string {
  if (p.stream === '(checkpoint)') return `checkpoint ${p.version}`;
  if (p.stream === '(trail)') return 'the trail';
  return `${p.stream} version ${p.version}`;
}
