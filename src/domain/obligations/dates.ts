/** Which EU AI Act application date is in force, read from the regulation policy. Pure. */
import type { RegulationPolicy } from '../policy';

/**
 * The ISO date (YYYY-MM-DD) a row of applicationDates applies from under the dates in force,
 * or undefined when the row is unknown or does not exist under that set of dates.
 */
export function dateInForce(reg: RegulationPolicy | undefined, id: string): string | undefined {
  const d = reg?.applicationDates.find((x) => x.id === id);
  if (!d) return undefined;
  return reg!.datesInForce === 'amended' ? (d.amended ?? d.original) : d.original;
}

/** YYYY-MM-DD of a date, in UTC (the Regulation's dates are calendar days). */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Whole days from `today` to the ISO day `iso` (negative when past). */
export function daysUntil(iso: string, today: Date): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${isoDay(today)}T00:00:00Z`)) / 86_400_000);
}
