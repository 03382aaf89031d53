/**
 * Calendar days typed in chat or picked in a form, turned into moments for the Art. 73 clock.
 * A day carries no time, so each is read the way that never gives more time than the law:
 * awareness from the START of the day (earliest), a submission at the END of it (latest, but
 * never after now). Days are UTC, like every date Steward stores.
 */

/** "2026-03-14" for a moment (UTC). */
export const isoDayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** The first moment of a YYYY-MM-DD day (UTC). */
export const startOfDay = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

/** The last moment of a YYYY-MM-DD day (UTC), or now when that is earlier (today). */
export function endOfDayOrNow(day: string, now: Date): Date {
  const end = new Date(`${day}T23:59:59.999Z`);
  return end.getTime() > now.getTime() ? now : end;
}

/** True when the day has not begun yet (UTC). */
export const isFutureDay = (day: string, now: Date): boolean => day > isoDayOf(now);
