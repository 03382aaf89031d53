/** Which EU AI Act application date is in force, per the regulation playbook's setting. */
import type { RegulationPolicy } from '../domain/policy';

/**
 * The ISO date (YYYY-MM-DD) the given duty applies from under the dates in force, or
 * undefined when the id is unknown or the duty does not exist under that set of dates.
 */
export function applicationDate(reg: RegulationPolicy | undefined, id: string): string | undefined {
  const d = reg?.applicationDates.find((x) => x.id === id);
  if (!d) return undefined;
  return reg!.datesInForce === 'amended' ? (d.amended ?? d.original) : d.original;
}
