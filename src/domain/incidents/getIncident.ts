import { z } from 'zod';
import { validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident } from '../types';
import { loadIncident } from './access';

export const getIncidentInput = z.object({ key: z.string().trim().min(1) });
export type GetIncidentInput = z.input<typeof getIncidentInput>;

/** Case-insensitive key ("inc-4" finds INC-4); NotFound `incident.not_found`. */
export async function getIncident(ctx: DomainContext, raw: GetIncidentInput): Promise<Incident> {
  const parsed = getIncidentInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  return loadIncident(ctx, parsed.data.key);
}
