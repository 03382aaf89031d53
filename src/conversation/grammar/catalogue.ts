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
  {
    name: 'raci_assign',
    keyword: 'raci',
    usage: 'raci UC-n <area> responsible|accountable|consulted|informed <email|name|@user>[, …]',
    description: "Replace who holds one part of an area's RACI (the area's Accountable or an AI CoE admin); exactly one Accountable.",
  },
  { name: 'who_approves', keyword: 'who approves', usage: 'who approves UC-n', description: 'Who must approve the next stage gate.' },
  { name: 'advance', keyword: 'advance', usage: 'advance UC-n', description: 'Request approval to move a use case to its next stage.' },
  { name: 'update', keyword: 'update', usage: 'update UC-n', description: 'Edit the title, description, models and intake answers; the risk tier is re-classified.' },
  {
    name: 'evidence',
    keyword: 'evidence',
    usage: 'evidence UC-n <control-id> <link> [note]',
    description: 'Attach a link to the evidence for one required control (e.g. CTL-LOGGING).',
  },
  { name: 'evidence_pack', keyword: 'evidence pack', usage: 'evidence pack UC-n', description: 'Generate the evidence pack (Annex IV documentation, FRIA, registration, readiness) as PDF and Markdown.' },
  { name: 'evidence_fria', keyword: 'evidence fria', usage: 'evidence fria UC-n', description: "Fill in the fundamental rights impact assessment (Art. 27): the deployer's Accountable." },
  { name: 'evidence_register', keyword: 'evidence register', usage: 'evidence register UC-n <registration-id> <YYYY-MM-DD>', description: 'Record the EU database registration (Arts. 49, 71).' },
  {
    name: 'evidence_conformity',
    keyword: 'evidence conformity',
    usage: 'evidence conformity UC-n route annex-vi|annex-vii · declaration <ref> <YYYY-MM-DD> · ce <YYYY-MM-DD>',
    description: 'Record the conformity assessment route (Art. 43), the EU declaration of conformity (Art. 47) or the CE marking (Art. 48): providers of high-risk systems.',
  },
  { name: 'evidence_monitor', keyword: 'evidence monitor', usage: 'evidence monitor UC-n', description: 'Record a post-market monitoring report (Art. 72) from runs and incidents since the last one.' },
  { name: 'evidence_soa', keyword: 'evidence soa', usage: 'evidence soa', description: 'The ISO/IEC 42001 Statement of Applicability: all 38 Annex A controls.' },
  { name: 'evidence_soa_set', keyword: 'evidence soa', usage: 'evidence soa <A.x.y> yes|no <justification>', description: 'Set whether an Annex A control applies, and why (AI CoE admin).' },
  { name: 'suspend', keyword: 'suspend', usage: 'suspend UC-n <reason>', description: 'Pull the kill switch: take a use case out of service at once.' },
  {
    name: 'resume',
    keyword: 'resume',
    usage: 'resume UC-n [reason]',
    description: 'Return a suspended use case to the stage it was suspended from (safety Accountable, AI security or AI CoE admin).',
  },
  { name: 'retire', keyword: 'retire', usage: 'retire UC-n <reason>', description: 'Retire a use case for good (owner or AI CoE admin); its record stays.' },
  { name: 'search', keyword: 'search', usage: 'search <words>', description: 'Find use cases whose title or description contains the words.' },
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
  { name: 'incident_show', keyword: 'incident', usage: 'incident INC-n', description: 'Show an incident: status, owner, timeline and the Art. 73 clock.' },
  {
    name: 'incident_status',
    keyword: 'incident',
    usage: 'incident INC-n status <triaged|mitigating|resolved|closed> [note]',
    description: 'Move an incident to its next status (the owner, AI security or a CoE admin); "reopen" takes a resolved one back to mitigating.',
  },
  { name: 'incident_note', keyword: 'incident', usage: 'incident INC-n note <text>', description: 'Add a note to the incident timeline (personal data and secrets are redacted).' },
  {
    name: 'incident_serious',
    keyword: 'incident',
    usage: 'incident INC-n serious <general|widespread|critical-infrastructure|death> [aware YYYY-MM-DD]',
    description: 'Flag a serious incident (EU AI Act Art. 73); the deadline counts from awareness (default: as first recorded, else the first report). Awareness never moves later.',
  },
  {
    name: 'incident_report',
    keyword: 'incident',
    usage: 'incident INC-n report <submitted|initial|complete> <reference>',
    description: 'Record an Art. 73 report: "initial" meets the deadline (Art. 73(5)) and reminders continue; "submitted" or "complete" stops them.',
  },
  {
    name: 'incident_aware',
    keyword: 'incident',
    usage: 'incident INC-n aware YYYY-MM-DD because <reason>',
    description: 'AI Governance & Legal only: correct the day of awareness (recomputes the Art. 73 deadline; audited with the reason).',
  },
  {
    name: 'incident_provider_informed',
    keyword: 'incident',
    usage: 'incident INC-n provider informed [note]',
    description: 'Record that, as deployer, you informed the provider first (Art. 26(5)).',
  },
  {
    name: 'tier_confirm',
    keyword: 'tier',
    usage: 'tier UC-n confirm [<assessment link> <summary>]',
    description: 'AI Governance & Legal: sign off the lower tier a use case waits for; an Art. 6(3) derogation needs the link to the documented Art. 6(4) assessment.',
  },
  { name: 'tier_reject', keyword: 'tier', usage: 'tier UC-n reject <reason>', description: 'AI Governance & Legal: refuse the lower tier a use case waits for; the current tier stays.' },
  { name: 'incidents', keyword: 'incidents', usage: 'incidents [open]', description: 'List incidents, or only the open ones.' },
  { name: 'models', keyword: 'models', usage: 'models', description: 'The model registry: which models may be used.' },
  { name: 'model', keyword: 'model', usage: 'model <name>', description: 'A model card: status, allowed data, prices, latest evaluation.' },
  {
    name: 'model_gpai',
    keyword: 'model',
    usage: 'model <name> gpai systemic|not-systemic <provider> [<Art. 53 documentation link>]',
    description: 'Record a model as a general-purpose AI model: its provider, whether it has systemic risk (Art. 51) and the link to the provider\'s Art. 53 documentation (required with systemic risk). The model\'s owner, an engineering role, security, legal or the AI CoE.',
  },
  {
    name: 'model_gpai_clear',
    keyword: 'model',
    usage: 'model <name> gpai none',
    description: 'Record that a model is not a general-purpose AI model (clears its GPAI fields). An approval decision: it lifts the Art. 53(1)(b) check on the use cases built on it, so it needs a model approver.',
  },
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
  { name: 'history', keyword: 'history', usage: 'history UC-n | APR-n | INC-n', description: 'Every change of a use case, approval or incident: who, when, what and why.' },
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
    usage: 'link slack | link teams | link <email|name> slack @user | teams <aad-object-id>',
    description: "Link the Slack or Teams account you are writing from to yourself (send it from that account); AI CoE admins link anyone's.",
  },
  {
    name: 'person_erase',
    keyword: 'person erase',
    usage: 'person erase <email>',
    description: "Erase a person's personal data everywhere (GDPR Art. 17; AI CoE admins). Cannot be undone; the audit trail still verifies.",
  },
];

export const catalogueEntry = (name: CommandName): CommandEntry => {
  const entry = COMMAND_CATALOGUE.find((e) => e.name === name);
  if (!entry) throw new Error(`no catalogue entry for ${name}`);
  return entry;
};
