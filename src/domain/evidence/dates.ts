/** A calendar day typed by a person (YYYY-MM-DD) that exists: 2026-02-30 is refused, not moved. */
import { z } from 'zod';

export const isoDay = z
  .string({ error: 'expected the date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected the date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    // 2026-13-01 is an invalid Date, 2026-02-30 a valid one in March: both refused.
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'expected a real date as YYYY-MM-DD');
