/** The console API's request bodies, validated with zod at the edge. */
import { z } from 'zod';
import { FORM_IDS } from '../../conversation/actions';

const personId = z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'at most 100 characters');

export const commandBody = z.object({
  personId,
  text: z.string({ error: 'required' }).trim().min(1, 'type a command').max(2000, 'at most 2000 characters'),
});

export const actionBody = z.object({
  personId,
  // Slack's limits, which every button already respects.
  actionId: z.string({ error: 'required' }).min(1, 'required').max(255, 'at most 255 characters'),
  value: z.string({ error: 'required' }).max(2000, 'at most 2000 characters'),
});

const formValue = z.union([
  z.string().max(10_000, 'at most 10000 characters'),
  z.array(z.string().max(500)).max(200),
  z.boolean(),
  z.null(),
]);

export const formBody = z.object({
  personId,
  formId: z.enum(FORM_IDS, { error: 'not a known form' }),
  values: z.record(z.string().max(100), formValue, { error: 'expected an object of input values' }),
  hidden: z.record(z.string().max(100), z.string().max(2000), { error: 'expected an object of strings' }).default({}),
});

export const notificationsQuery = z.object({ personId });

export type CommandBody = z.infer<typeof commandBody>;
export type ActionBody = z.infer<typeof actionBody>;
export type FormBody = z.infer<typeof formBody>;

/** The first problem, as one short line naming the field ("text: type a command"). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}
