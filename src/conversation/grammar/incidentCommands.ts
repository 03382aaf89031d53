/**
 * The incident lifecycle commands (`incident INC-n ...`): their names and zod schemas, joined
 * into the one command union in schema.ts. Kept apart so the incident grammar reads in one place.
 */
import { z } from 'zod';

export const INCIDENT_LIFECYCLE_NAMES = ['incident_show', 'incident_status', 'incident_note', 'incident_serious', 'incident_report', 'incident_aware', 'incident_provider_informed'] as const;

/** Statuses a command may move an incident to ("reported" is only ever the first). */
export const TARGET_STATUSES = ['triaged', 'mitigating', 'resolved', 'closed'] as const;
/** Words for the Art. 73 basis, as the grammar spells them; the domain's ids are longer. */
export const SERIOUS_BASIS_IDS = ['general', 'widespread_or_critical_infrastructure', 'death'] as const;

const base = { ok: z.literal(true) };
const incidentKey = z.string({ error: 'expected an incident id like INC-3' }).regex(/^INC-\d+$/, 'expected an incident id like INC-3');

/** A calendar day (YYYY-MM-DD) that exists: 2026-02-30 is refused here, not silently moved. */
export const isoDay = z
  .string({ error: 'expected the date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected the date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'expected a real date as YYYY-MM-DD');

export const incidentLifecycleSchemas = [
  z.object({ ...base, name: z.literal('incident_show'), incidentKey }),
  z.object({
    ...base,
    name: z.literal('incident_status'),
    incidentKey,
    status: z.enum(TARGET_STATUSES, { error: 'expected a status: triaged, mitigating, resolved or closed' }),
    note: z.string().trim().max(2000, 'expected a note of at most 2000 characters').optional(),
  }),
  z.object({
    ...base,
    name: z.literal('incident_note'),
    incidentKey,
    text: z.string({ error: 'expected the note after "note"' }).trim().min(1, 'expected the note after "note"').max(5000, 'expected a note of at most 5000 characters'),
  }),
  z.object({
    ...base,
    name: z.literal('incident_serious'),
    incidentKey,
    basis: z.enum(SERIOUS_BASIS_IDS, { error: 'expected a basis: general, widespread, critical-infrastructure or death' }),
    /** The day the organisation became aware; absent: as first recorded, else the first report. */
    awareOn: isoDay.optional(),
  }),
  z.object({
    ...base,
    name: z.literal('incident_aware'),
    incidentKey,
    awareOn: isoDay,
    reason: z.string({ error: 'expected the reason after "because"' }).trim().min(5, 'expected the reason after "because" (at least 5 characters)').max(1000, 'expected a reason of at most 1000 characters'),
  }),
  z.object({
    ...base,
    name: z.literal('incident_provider_informed'),
    incidentKey,
    note: z.string().trim().max(1000, 'expected a note of at most 1000 characters').optional(),
  }),
  z.object({
    ...base,
    name: z.literal('incident_report'),
    incidentKey,
    /** Art. 73(5): an initial report may precede the complete one; "submitted" means complete. */
    kind: z.enum(['initial', 'complete']).default('complete'),
    reportRef: z
      .string({ error: 'expected the report reference, e.g. report submitted MSA-2026-114' })
      .trim()
      .min(1, 'expected the report reference, e.g. report submitted MSA-2026-114')
      .max(200, 'expected a reference of at most 200 characters'),
  }),
] as const;
