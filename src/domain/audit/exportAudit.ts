import type { AuditRepository } from '../ports';

/** The trail as JSON lines, one entry per line, by time: for auditors and SIEM import. */
export async function* exportAudit(repo: AuditRepository): AsyncIterable<string> {
  for await (const e of repo.all('time')) {
    // Whole entries (state and events included): with the signing key, an export verifies offline.
    yield JSON.stringify(e) + '\n';
  }
}
