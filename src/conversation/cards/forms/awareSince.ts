/** The incident form's "Aware since" day: the Art. 73 clock counts from it (Art. 73(2)-(4)). */
import { isoDay } from '../../grammar/incidentCommands';
import { isFutureDay, startOfDay } from './days';

export type AwareSince = { ok: true; awareAt?: Date } | { ok: false; message: string };

/** Absent: no date (an old form). Present: a real, non-future day, read from its start. */
export function awareSince(day: string | undefined, now: Date | undefined): AwareSince {
  if (!day) return { ok: true };
  const parsed = isoDay.safeParse(day);
  if (!parsed.success) return { ok: false, message: `Aware since: ${parsed.error.issues[0]?.message ?? 'expected a date'}` };
  if (now && isFutureDay(parsed.data, now)) return { ok: false, message: 'Aware since: the day cannot be in the future.' };
  return { ok: true, awareAt: startOfDay(parsed.data) };
}
