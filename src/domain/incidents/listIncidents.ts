import { z } from 'zod';
import { validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import { INCIDENT_STATUSES, SEVERITIES, type Incident } from '../types';
import { OPEN_STATUSES } from './transitions';

export const listIncidentsInput = z
  .object({
    /** true: only open incidents (not resolved or closed); false: only resolved/closed. */
    open: z.boolean().optional(),
    status: z.array(z.enum(INCIDENT_STATUSES)).optional(),
    useCaseKey: z.string().trim().min(1).optional(),
    ownerId: z.string().min(1).optional(),
    severity: z.enum(SEVERITIES).optional(),
  })
  .default({});
export type ListIncidentsInput = z.input<typeof listIncidentsInput>;

export async function listIncidents(ctx: DomainContext, raw: ListIncidentsInput = {}): Promise<Incident[]> {
  const parsed = listIncidentsInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const { open, status, useCaseKey, ownerId, severity } = parsed.data;
  const statuses = status ?? (open === true ? OPEN_STATUSES : open === false ? (['resolved', 'closed'] as const).slice() : undefined);
  const found = await ctx.repos.incidents.list({ status: statuses, useCaseKey, ownerId });
  return severity ? found.filter((i) => i.severity === severity) : found;
}
