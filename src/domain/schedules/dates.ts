/** Date arithmetic for the cadences: pure, UTC, tested with a fixed clock. */

export const DAY_MS = 86_400_000;

export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);

/** Whole days from `from` to `to` (negative before), rounded down. */
export const daysSince = (from: Date, to: Date): number => Math.floor((to.getTime() - from.getTime()) / DAY_MS);

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** ISO 8601 week of a date, e.g. "2026-W36" (weeks start on Monday; week 1 holds January 4th). */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dayNum = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dayNum); // the Thursday of this week decides the year
  const yearStart = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((t.getTime() - yearStart.getTime()) / DAY_MS + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** A time people read in a notification: minutes, UTC, no seconds ("2026-11-27 14:00 UTC"). */
export const formatUtc = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
