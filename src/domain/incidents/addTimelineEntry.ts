import { z } from 'zod';
import { ConflictError, ForbiddenError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { changeIncident, loadActor, mayAnnotate } from './access';
import { redact } from './redact';

export const addTimelineEntryInput = z.object({
  actorId: z.string().min(1),
  key: z.string().trim().min(1),
  text: z.string().trim().min(1, 'write the note').max(5_000),
});
export type AddTimelineEntryInput = z.input<typeof addTimelineEntryInput>;

/** Adds a note to the incident timeline, redacted like the report itself. */
export async function addTimelineEntry(ctx: DomainContext, raw: AddTimelineEntryInput): Promise<Incident> {
  const parsed = addTimelineEntryInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const actor = await loadActor(ctx, parsed.data.actorId);
  const note = redact(parsed.data.text);
  return changeIncident(ctx, parsed.data.key, (incident, now) => {
    if (!mayAnnotate(actor, incident)) {
      throw new ForbiddenError('incident.note_forbidden', `Only the reporter, the owner, security, legal or the CoE may add notes to ${incident.key}.`);
    }
    if (incident.status === 'closed') throw new ConflictError('incident.closed', `${incident.key} is closed.`);
    return {
      record: {
        ...incident,
        timeline: [...incident.timeline, { at: now, by: actor.id, kind: 'note', text: note.text }],
        redactions: [...new Set([...incident.redactions, ...note.kinds])],
        updatedAt: now,
      },
      change: {
        actorId: actor.id,
        action: 'incident.note_added',
        data: { redactions: note.kinds },
        events: [{ type: 'incident.updated', at: now, actorId: actor.id, incidentKey: incident.key, status: incident.status }],
      },
    };
  });
}
