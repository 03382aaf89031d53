/**
 * Where the outage test's changes ended up: how often each appears in its record's newest
 * version and in the record's history (as the audited change that made it).
 */
import type { DomainContext } from '../../../src/domain/ports';

export type Kind = 'evidence' | 'note' | 'vote';

/** One change: the link attached, the note's text, or the voter's id, on a record. */
export const id = (o: { kind: Kind; key: string; mark: string }): string => `${o.kind}|${o.key}|${o.mark}`;

export interface Targets {
  useCases: string[];
  incidents: string[];
  approvals: string[];
  /** Who wrote the notes (a note must be that person's own audited change). */
  noteAuthor: string;
}

export async function storedCounts(c: DomainContext, targets: Targets): Promise<Map<string, { record: number; history: number }>> {
  const out = new Map<string, { record: number; history: number }>();
  const bump = (k: string, field: 'record' | 'history') => {
    const v = out.get(k) ?? { record: 0, history: 0 };
    v[field]++;
    out.set(k, v);
  };
  for (const key of targets.useCases) {
    for (const e of (await c.repos.useCases.get(key))!.evidence) bump(id({ kind: 'evidence', key, mark: e.url }), 'record');
    for (const h of await c.repos.audit.history(`usecase:${key}`)) {
      if (h.action === 'usecase.evidence_attached') bump(id({ kind: 'evidence', key, mark: String(h.data.url) }), 'history');
    }
  }
  for (const key of targets.incidents) {
    for (const t of (await c.repos.incidents.get(key))!.timeline) if (t.kind === 'note') bump(id({ kind: 'note', key, mark: t.text }), 'record');
    // A note belongs to the version that first shows it, which must be its own audited change.
    let seen = new Set<string>();
    for (const h of await c.repos.audit.history(`incident:${key}`)) {
      const notes = ((h.state?.timeline ?? []) as Array<{ kind: string; text: string }>).filter((t) => t.kind === 'note').map((t) => t.text);
      for (const text of notes.filter((t) => !seen.has(t))) {
        if (h.action === 'incident.note_added' && h.actorId === targets.noteAuthor) bump(id({ kind: 'note', key, mark: text }), 'history');
      }
      seen = new Set(notes);
    }
  }
  for (const key of targets.approvals) {
    for (const v of (await c.repos.approvals.get(key))!.votes) bump(id({ kind: 'vote', key, mark: v.personId }), 'record');
    for (const h of await c.repos.audit.history(`approval:${key}`)) {
      if (h.action === 'approval.voted' || h.action === 'approval.decided') bump(id({ kind: 'vote', key, mark: h.actorId }), 'history');
    }
  }
  return out;
}
