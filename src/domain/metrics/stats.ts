/** Small statistics helpers for KPIs (pure). */

export interface Summary {
  count: number;
  medianDays: number | null;
  meanDays: number | null;
}

export const DAY_MS = 86_400_000;
export const daysBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY_MS;
const round = (n: number) => Math.round(n * 100) / 100;

export function summarise(days: number[]): Summary {
  if (!days.length) return { count: 0, medianDays: null, meanDays: null };
  const s = [...days].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { count: s.length, medianDays: round(median), meanDays: round(mean) };
}

export const roundDays = round;
