/** Small zod building blocks shared by the playbook schemas, with messages an editor understands. */
import { z } from 'zod';

export const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case id (letters, digits and _, starting with a letter)');
export const textSchema = z.string().trim().min(1, 'must not be empty');
export const positiveIntSchema = z.number().int('expected a whole number').positive('expected a number above 0');
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real calendar date');

/** Flags repeated values of `key` in a list, at the repeated item. */
export function uniqueBy<T>(key: (item: T) => string, what = 'id') {
  return (list: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i, what], message: `duplicate ${what} "${k}"` });
      seen.add(k);
    });
  };
}

/** Flags members of `all` that the list does not define, at the list itself. */
export function coversAll<T>(all: readonly string[], key: (item: T) => string, what: string) {
  return (list: T[], ctx: z.RefinementCtx) => {
    const have = new Set(list.map(key));
    const missing = all.filter((a) => !have.has(a));
    if (missing.length) ctx.addIssue({ code: 'custom', message: `missing ${what}: ${missing.join(', ')}` });
  };
}

/** A list of role ids with no repeats. */
export const roleListSchema = z.array(idSchema).superRefine((roles, ctx) => {
  roles.forEach((r, i) => {
    if (roles.indexOf(r) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `role "${r}" is listed twice` });
  });
});
