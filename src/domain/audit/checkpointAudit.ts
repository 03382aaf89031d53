/**
 * Signs the heads of every stream (Certificate Transparency's signed tree head, simplified):
 * once a checkpoint exists, deleting a stream's last entries, deleting a whole stream or the
 * whole trail, is detected by verifyAudit even though each chain on its own would still link.
 * Runs on the scheduler; concurrent writers of the same seq are decided by its unique index.
 *
 * Each checkpoint first checks the trail against the previous one and refuses to sign a trail
 * that lost what was signed before: otherwise the next run would sign the truncated heads and
 * verifyAudit, which checks the newest checkpoint, would find nothing wrong any more.
 */
import type { AuditCheckpoint, AuditRepository, Clock, StreamHead } from '../ports';
import { checkAgainstCheckpoint, whereOf } from './checkpointCheck';
import { checkpointBody } from './hash';

/** The trail no longer holds what the previous checkpoint signed: no new checkpoint until someone looks. */
export class AuditTrailTamperedError extends Error {
  constructor(readonly problem: { stream: string; version: number; reason: string }) {
    super(`audit trail broken at ${whereOf(problem)}: ${problem.reason}; no checkpoint signed over it (run audit verify)`);
    this.name = 'AuditTrailTamperedError';
  }
}

export async function checkpointAudit(deps: { repo: AuditRepository; clock: Clock }): Promise<AuditCheckpoint | null> {
  const previous = await deps.repo.latestCheckpoint();
  const heads = await deps.repo.heads();
  if (previous) {
    const byStream = new Map<string, StreamHead>(heads.map((h) => [h.stream, h]));
    // A stream still at its signed version has its head's hash at hand; only those that moved on need a read.
    const moved = previous.heads.filter((h) => (byStream.get(h.stream)?.version ?? 0) > h.version);
    const hashAt = await deps.repo.hashesAt(moved);
    for (const h of previous.heads) {
      const now = byStream.get(h.stream);
      if (now?.version === h.version) hashAt.set(`${h.stream}#${h.version}`, now.hash);
    }
    const problem = checkAgainstCheckpoint(deps.repo, previous, byStream, hashAt);
    if (problem) throw new AuditTrailTamperedError(problem);
  }
  const entries = heads.reduce((n, h) => n + h.version, 0);
  // Nothing new since the last checkpoint (heads only grow, so equal totals mean equal heads).
  if (previous && previous.entries === entries && previous.heads.length === heads.length) return null;
  const body = { seq: (previous?.seq ?? 0) + 1, at: deps.clock.now(), entries, heads };
  const checkpoint: AuditCheckpoint = { ...body, signature: deps.repo.sign(checkpointBody(body)) };
  return (await deps.repo.insertCheckpoint(checkpoint)) ? checkpoint : null;
}
