/**
 * The typed result of parsing a chat command: one zod discriminated union on `name`.
 * The parser builds a candidate object from the words and this schema has the last word,
 * so a rule (a reason is required to reject; the evidence link is an http(s) URL) lives here once.
 */
import { z } from 'zod';
import { ALL_STAGES, DATA_CLASSES, RISK_TIERS, SEVERITIES } from '../../domain/types';
import { RACI_PARTS } from '../../domain/raci/reassignRaci';
import { INCIDENT_LIFECYCLE_NAMES, incidentLifecycleSchemas } from './incidentCommands';
import { EVIDENCE_COMMAND_NAMES, evidenceSchemas } from './evidenceCommands';
import { TIER_COMMAND_NAMES, tierSchemas } from './tierCommands';
import { GPAI_COMMAND_NAMES, gpaiSchemas } from './gpaiCommands';

const useCaseKey = z.string({ error: 'expected a use case id like UC-3' }).regex(/^UC-\d+$/, 'expected a use case id like UC-3');
const approvalKey = z.string({ error: 'expected an approval id like APR-3' }).regex(/^APR-\d+$/, 'expected an approval id like APR-3');
const modelName = z.string({ error: 'expected a model name' }).min(1, 'expected a model name').max(100, 'model name is too long');

/** Role ids as the playbook spells them; the parser resolves aliases, the domain checks existence. */
const roleId = z.string().regex(/^[a-z0-9_]{1,80}$/, 'expected a role id like prompt_engineer');
const personEmail = z.email({ error: 'expected an email address such as ada@example.com' });
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user as <@U012ABCDEF>');
const teamsAadObjectId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a Teams AAD object id such as 8f0c2a5e-1b2c-4d3e-9f00-123456789abc');

export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) link, e.g. https://wiki.example.com/review' });

const base = { ok: z.literal(true) };

export const COMMAND_NAMES = [
  'help',
  'propose',
  'show',
  'list',
  'raci',
  'who_approves',
  'advance',
  'approvals',
  'approve',
  'reject',
  'incident_form',
  'incident',
  ...INCIDENT_LIFECYCLE_NAMES,
  'incidents',
  'models',
  'model',
  'can_use',
  'reviews',
  'review_done',
  'kpis',
  'audit_verify',
  'history',
  'eval_run',
  'register',
  'role_list',
  'roles',
  'whoami',
  'people',
  'link',
  'person_erase',
  // Use case maintenance (parseUseCases.ts).
  'suspend',
  'resume',
  'retire',
  'evidence',
  'raci_assign',
  'update',
  'search',
  // Evidence packs and records (evidenceCommands.ts).
  ...EVIDENCE_COMMAND_NAMES,
  // AI Governance & Legal's sign-off of a lower tier (tierCommands.ts).
  ...TIER_COMMAND_NAMES,
  // A registered model's general-purpose AI fields (gpaiCommands.ts).
  ...GPAI_COMMAND_NAMES,
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const listFilterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('mine') }),
  z.object({ kind: z.literal('stage'), stage: z.enum(ALL_STAGES) }),
  z.object({ kind: z.literal('tier'), tier: z.enum(RISK_TIERS) }),
  /** `search <words>`: the phrase, matched in titles and descriptions. */
  z.object({ kind: z.literal('text'), text: z.string().trim().min(1).max(100) }),
]);
export type ListFilter = z.infer<typeof listFilterSchema>;

const reasonFor = (verb: string) =>
  z.string({ error: `a reason is required to ${verb}` }).trim().min(3, `a reason is required to ${verb}`).max(1000, 'a reason of at most 1000 characters');

/** suspend, resume, retire, evidence, raci (change), update, search. */
const useCaseMaintenanceCommands = [
  z.object({ ...base, name: z.literal('suspend'), useCaseKey, reason: reasonFor('suspend') }),
  z.object({ ...base, name: z.literal('resume'), useCaseKey, reason: reasonFor('resume').optional() }),
  z.object({ ...base, name: z.literal('retire'), useCaseKey, reason: reasonFor('retire') }),
  z.object({
    ...base,
    name: z.literal('evidence'),
    useCaseKey,
    controlId: z.string({ error: 'expected a control id like CTL-LOGGING' }).regex(/^[A-Z0-9][A-Z0-9_.-]{0,79}$/, 'expected a control id like CTL-LOGGING'),
    evidenceUrl: httpUrl,
    note: z.string().trim().max(1000, 'expected a note of at most 1000 characters').optional(),
  }),
  z.object({
    ...base,
    name: z.literal('raci_assign'),
    useCaseKey,
    area: z.string().min(1),
    part: z.enum(RACI_PARTS, { error: 'expected responsible, accountable, consulted or informed' }),
    /** Emails, Slack mentions, person ids or names; the handler finds each person. Empty clears the part. */
    people: z.array(z.string().trim().min(1).max(200)).max(20, 'expected at most 20 people'),
  }),
  z.object({ ...base, name: z.literal('update'), useCaseKey }),
  z.object({
    ...base,
    name: z.literal('search'),
    text: z.string({ error: 'expected words to search for' }).trim().min(1, 'expected words to search for').max(100, 'expected at most 100 characters to search for'),
  }),
] as const;

export const commandSchema = z.discriminatedUnion('name', [
  z.object({ ...base, name: z.literal('help'), topic: z.enum(COMMAND_NAMES).optional() }),
  z.object({ ...base, name: z.literal('propose') }),
  z.object({ ...base, name: z.literal('show'), useCaseKey }),
  z.object({ ...base, name: z.literal('list'), filter: listFilterSchema }),
  z.object({ ...base, name: z.literal('raci'), useCaseKey, area: z.string().min(1).optional() }),
  z.object({ ...base, name: z.literal('who_approves'), useCaseKey }),
  z.object({ ...base, name: z.literal('advance'), useCaseKey }),
  z.object({ ...base, name: z.literal('approvals') }),
  z.object({ ...base, name: z.literal('approve'), approvalKey, reason: z.string().max(2000).optional() }),
  z.object({
    ...base,
    name: z.literal('reject'),
    approvalKey,
    reason: z.string({ error: 'a reason is required to reject' }).trim().min(3, 'a reason is required to reject').max(2000),
  }),
  z.object({ ...base, name: z.literal('incident_form'), useCaseKey: useCaseKey.optional() }),
  z.object({
    ...base,
    name: z.literal('incident'),
    useCaseKey,
    severity: z.enum(SEVERITIES, { error: 'severity: expected one of sev1..sev4' }),
    description: z.string().trim().min(3, 'describe what happened').max(3000),
  }),
  z.object({ ...base, name: z.literal('incidents'), openOnly: z.boolean() }),
  ...incidentLifecycleSchemas,
  z.object({ ...base, name: z.literal('models') }),
  z.object({ ...base, name: z.literal('model'), modelName }),
  z.object({
    ...base,
    name: z.literal('can_use'),
    useCaseKey,
    modelName,
    dataClass: z.enum(DATA_CLASSES, { error: `data class: expected one of ${DATA_CLASSES.join(', ')}` }),
  }),
  z.object({ ...base, name: z.literal('reviews'), overdueOnly: z.boolean() }),
  z.object({ ...base, name: z.literal('review_done'), useCaseKey, evidenceUrl: httpUrl }),
  z.object({ ...base, name: z.literal('kpis') }),
  z.object({ ...base, name: z.literal('audit_verify') }),
  z.object({
    ...base,
    name: z.literal('history'),
    recordKey: z.string({ error: 'expected a record id like UC-3, APR-2 or INC-4' }).regex(/^(UC|APR|INC)-\d+$/, 'expected a record id like UC-3, APR-2 or INC-4'),
  }),
  z.object({ ...base, name: z.literal('eval_run'), modelName, suite: z.string().regex(/^[\w.-]{1,80}$/, 'expected a suite name like smoke') }),
  z.object({
    ...base,
    name: z.literal('register'),
    email: personEmail,
    // `name` is the discriminator, so the person's name travels as personName.
    personName: z.string({ error: 'expected a name after the email' }).trim().min(1, 'expected a name after the email').max(120, 'expected a name of at most 120 characters'),
    roles: z.array(roleId).max(20),
    slackUserId: slackUserId.optional(),
    teamsAadObjectId: teamsAadObjectId.optional(),
  }),
  z.object({ ...base, name: z.literal('role_list') }),
  z.object({
    ...base,
    name: z.literal('roles'),
    /** An email, a Slack mention, a person id or a name; the handler finds the person. */
    person: z.string({ error: 'expected an email or name' }).trim().min(1, 'expected an email or name').max(200),
    op: z.enum(['add', 'remove'], { error: 'expected add or remove' }),
    roles: z.array(roleId).min(1, 'expected a role after add or remove').max(20),
  }),
  z.object({ ...base, name: z.literal('whoami') }),
  z.object({ ...base, name: z.literal('people'), role: roleId.optional() }),
  z.object({
    ...base,
    name: z.literal('link'),
    /** Absent: the acting person links their own account. */
    person: z.string().trim().min(1).max(200).optional(),
    slackUserId: slackUserId.optional(),
    teamsAadObjectId: teamsAadObjectId.optional(),
    /** `link slack` / `link teams`: the account the message itself was sent from. */
    own: z.enum(['slack', 'teams']).optional(),
  }),
  z.object({ ...base, name: z.literal('person_erase'), email: personEmail }),
  ...useCaseMaintenanceCommands,
  ...evidenceSchemas,
  ...tierSchemas,
  ...gpaiSchemas,
]);

export type ParsedCommand = z.infer<typeof commandSchema>;
export type CommandOf<N extends CommandName> = Extract<ParsedCommand, { name: N }>;

export interface ParseFailure {
  ok: false;
  /** One short sentence naming what was wrong. */
  message: string;
  /** The command the person most likely meant (closest by edit distance, or the one they typed). */
  suggestion?: CommandName;
  /** Usage line of `suggestion`. */
  usage?: string;
}
