/**
 * Reports an AI incident. Text is redacted before anything is stored; the owner is found from
 * the RACI; the reporter may pull the kill switch, which suspends the use case at once (the
 * reaction to the report, src/domain/incidents/killSwitch.ts).
 * Anyone registered may report and pull the kill switch (an andon cord: stopping harm must
 * not wait for a role check); both are audited, and resuming goes through the normal gates.
 */
import { formatUtc } from '../schedules/dates';
import { z } from 'zod';
import { NotFoundError, ValidationError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import { createRecord } from '../records/updateRecord';
import { SEVERITIES, type Incident, type TimelineEntry } from '../types';
import { loadActor } from './access';
import { SERIOUS_BASES, art73Deadline } from './art73';
import { incidentOwner } from './owner';
import { redact, shorten } from './redact';

/** A title derived from the description is cut to this many characters (after redaction). */
export const TITLE_FROM_DESCRIPTION = 80;

export const seriousInput = z.object({
  basis: z.enum(SERIOUS_BASES as ['general', 'widespread_or_critical_infrastructure', 'death']),
  awareAt: z.coerce.date(),
});

export const reportIncidentInput = z
  .object({
    reporterId: z.string().min(1),
    useCaseKey: z.string().trim().min(1).optional(),
    modelName: z.string().trim().min(1).optional(),
    category: z.string().trim().min(1),
    severity: z.enum(SEVERITIES),
    /** Absent: derived from the description, after redaction (never cut before it). */
    title: z.string().trim().min(3, 'give a short title (at least 3 characters)').max(200).optional(),
    description: z.string().trim().max(10_000).default(''),
    killSwitch: z.boolean().default(false),
    serious: seriousInput.optional(),
  })
  .refine((v) => v.title !== undefined || v.description.length >= 3, {
    path: ['title'],
    message: 'give a short title or a description (at least 3 characters)',
  })
  .refine((v) => !!(v.useCaseKey || v.modelName), {
    path: ['useCaseKey'],
    message: 'name the use case or the model the incident concerns (at least one)',
  })
  .refine((v) => !v.killSwitch || !!v.useCaseKey, {
    path: ['killSwitch'],
    message: 'the kill switch suspends a use case: name the use case',
  });
export type ReportIncidentInput = z.input<typeof reportIncidentInput>;

export async function reportIncident(ctx: DomainContext, raw: ReportIncidentInput): Promise<Incident> {
  const parsed = reportIncidentInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('incident.invalid', parsed.error.issues);
  const input = parsed.data;

  const categories = ctx.policy.incidents.categories.map((c) => c.id);
  if (!categories.includes(input.category)) {
    throw new ValidationError('incident.unknown_category', `category: expected one of ${categories.join(', ')}`);
  }
  const reporter = await loadActor(ctx, input.reporterId);
  const useCase = input.useCaseKey ? await ctx.repos.useCases.get(input.useCaseKey) : null;
  if (input.useCaseKey && !useCase) throw new NotFoundError('usecase.not_found', `No use case ${input.useCaseKey}.`);
  const model = input.modelName ? await ctx.repos.models.get(input.modelName) : null;
  if (input.modelName && !model) throw new NotFoundError('model.not_found', `No model named ${input.modelName} in the registry.`);

  const now = ctx.clock.now();
  if (input.serious && input.serious.awareAt.getTime() > now.getTime()) {
    throw new ValidationError('incident.aware_in_future', 'serious.awareAt: the moment of awareness cannot be in the future.');
  }
  // Redact whole texts, then shorten: a secret cut in half would no longer match any rule.
  const description = redact(input.description);
  const title = input.title !== undefined ? redact(input.title) : { text: shorten(description.text, TITLE_FROM_DESCRIPTION), kinds: [] };
  const redactions = [...new Set([...title.kinds, ...description.kinds])];
  const ownerId = incidentOwner({ useCase, model, reporterId: reporter.id });

  const timeline: TimelineEntry[] = [
    { at: now, by: reporter.id, kind: 'reported', text: `Reported as ${input.severity} ${input.category}.` },
  ];
  const serious = input.serious
    ? { basis: input.serious.basis, awareAt: input.serious.awareAt, deadline: art73Deadline(input.serious.awareAt, input.serious.basis, ctx.policy.incidents.serious.deadlinesDays) }
    : undefined;
  if (serious) timeline.push({ at: now, by: reporter.id, kind: 'serious', text: `Flagged serious (${serious.basis}); Art. 73 report due ${formatUtc(serious.deadline)}.` });
  if (input.killSwitch) timeline.push({ at: now, by: reporter.id, kind: 'kill_switch', text: `Kill switch pulled: ${useCase!.key} suspended.` });

  // One write: the incident's version 1 is its `incident.reported` audit entry, with the Art. 73
  // clock and the kill switch in its state; announcing it and suspending the use case follow
  // from this entry (records/react.ts), so a crash after it cannot leave it unannounced.
  return createRecord(ctx, () =>
    ctx.repos.incidents.create(
      {
        useCaseKey: useCase?.key,
        modelName: model?.name,
        category: input.category,
        severity: input.severity,
        title: title.text,
        description: description.text,
        redactions,
        reporterId: reporter.id,
        ownerId,
        status: 'reported',
        timeline,
        serious,
        killSwitch: input.killSwitch,
        createdAt: now,
        updatedAt: now,
      },
      (key) => ({
        at: now,
        actorId: reporter.id,
        action: 'incident.reported',
        data: {
          category: input.category,
          severity: input.severity,
          useCaseKey: useCase?.key ?? null,
          modelName: model?.name ?? null,
          ownerId,
          redactions,
          killSwitch: input.killSwitch,
          serious: serious ? { basis: serious.basis, deadline: serious.deadline } : null,
        },
        events: [
          { type: 'incident.reported', at: now, actorId: reporter.id, incidentKey: key, ownerId, severity: input.severity, useCaseKey: useCase?.key },
          ...(serious ? [{ type: 'incident.serious_flagged' as const, at: now, actorId: reporter.id, incidentKey: key, deadline: serious.deadline }] : []),
        ],
      }),
    ),
  );
}
