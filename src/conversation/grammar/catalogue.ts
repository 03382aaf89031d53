/**
 * One entry per command: how to type it and what it does. Drives `help`, the did-you-mean
 * suggestions and the usage line shown with every parse failure.
 */
import type { CommandName } from './schema';

export interface CommandEntry {
  name: CommandName;
  /** The words that start the command, as people type them. */
  keyword: string;
  usage: string;
  description: string;
}

export const COMMAND_CATALOGUE: readonly CommandEntry[] = [
  { name: 'help', keyword: 'help', usage: 'help [command]', description: 'List the commands, or explain one.' },
  { name: 'propose', keyword: 'propose', usage: 'propose', description: 'Open the intake form to propose a new LLM use case.' },
  { name: 'show', keyword: 'show', usage: 'show UC-n', description: 'Show a use case: stage, risk tier, controls and owners.' },
  {
    name: 'list',
    keyword: 'list',
    usage: 'list [mine | <stage> | <tier>]',
    description: 'List use cases, yours, or those in a stage (e.g. pilot) or risk tier (e.g. high).',
  },
  { name: 'raci', keyword: 'raci', usage: 'raci UC-n [area]', description: 'Who is Responsible, Accountable, Consulted and Informed.' },
  { name: 'who_approves', keyword: 'who approves', usage: 'who approves UC-n', description: 'Who must approve the next stage gate.' },
  { name: 'advance', keyword: 'advance', usage: 'advance UC-n', description: 'Request approval to move a use case to its next stage.' },
  { name: 'approvals', keyword: 'approvals', usage: 'approvals', description: 'Approvals waiting for your vote.' },
  { name: 'approve', keyword: 'approve', usage: 'approve APR-n [reason]', description: 'Vote to approve a stage gate.' },
  { name: 'reject', keyword: 'reject', usage: 'reject APR-n <reason>', description: 'Vote to reject a stage gate (a reason is required).' },
  { name: 'incident_form', keyword: 'incident', usage: 'incident', description: 'Open the form to report an AI incident.' },
  {
    name: 'incident',
    keyword: 'incident',
    usage: 'incident UC-n sev1..sev4 <what happened>',
    description: 'Report an AI incident in one line.',
  },
  { name: 'incidents', keyword: 'incidents', usage: 'incidents [open]', description: 'List incidents, or only the open ones.' },
  { name: 'models', keyword: 'models', usage: 'models', description: 'The model registry: which models may be used.' },
  { name: 'model', keyword: 'model', usage: 'model <name>', description: 'A model card: status, allowed data, prices, latest evaluation.' },
  {
    name: 'can_use',
    keyword: 'can',
    usage: 'can UC-n use <model> with <data class>',
    description: 'Whether a use case may send a class of data to a model.',
  },
  { name: 'reviews', keyword: 'reviews', usage: 'reviews [overdue]', description: 'Periodic reviews that are due, or overdue.' },
  {
    name: 'review_done',
    keyword: 'review done',
    usage: 'review done UC-n <evidence link>',
    description: 'Record a completed review with a link to its evidence.',
  },
  { name: 'kpis', keyword: 'kpis', usage: 'kpis', description: 'Operating-model KPIs: throughput, approvals, incidents, reviews.' },
  { name: 'audit_verify', keyword: 'audit verify', usage: 'audit verify', description: 'Check that the audit trail hash chain is intact.' },
  { name: 'eval_run', keyword: 'eval run', usage: 'eval run <model> <suite>', description: 'Run an evaluation suite against a model.' },
  { name: 'whoami', keyword: 'whoami', usage: 'whoami', description: 'Who Steward takes you to be: your roles and linked chat accounts.' },
  { name: 'people', keyword: 'people', usage: 'people [role]', description: 'Registered people, or only those holding a role (e.g. people legal).' },
  { name: 'role_list', keyword: 'roles', usage: 'roles', description: 'The roles of the operating model, what each does and who holds it.' },
  {
    name: 'roles',
    keyword: 'roles',
    usage: 'roles <email|name> add|remove <role,...>',
    description: 'Give a person roles or take them away (AI CoE admins).',
  },
  {
    name: 'register',
    keyword: 'register',
    usage: 'register <email> <name> [roles <role,...>] [slack @user] [teams <aad-object-id>]',
    description: 'Register a person with their roles (AI CoE admins). Slack and Teams accounts also link by email on first contact.',
  },
  {
    name: 'link',
    keyword: 'link',
    usage: 'link [<email|name>] slack @user | teams <aad-object-id>',
    description: "Link a Slack or Teams account to a person: your own, or anyone's for AI CoE admins.",
  },
];

export const catalogueEntry = (name: CommandName): CommandEntry => {
  const entry = COMMAND_CATALOGUE.find((e) => e.name === name);
  if (!entry) throw new Error(`no catalogue entry for ${name}`);
  return entry;
};
