import type { AuditRepository } from '../ports';

/** The trail as JSON lines, one entry per line, in order: for auditors and SIEM import. */
export async function* exportAudit(repo: AuditRepository): AsyncIterable<string> {
  for await (const e of repo.all()) {
    yield JSON.stringify({ ...e, at: e.at.toISOString() }) + '\n';
  }
}
