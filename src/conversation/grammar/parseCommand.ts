/**
 * The one command grammar shared by Slack, Teams and the web console. Words in, a typed
 * ParsedCommand (validated by `commandSchema`) or a ParseFailure with a short message, the
 * command the person probably meant and its usage line.
 */
import { areaFrom, DATA_CLASS_ALIASES, keyFrom, normaliseWord, severityFrom, STAGE_ALIASES, TIER_ALIASES } from './aliases';
import type { AreaChoice, RoleChoice } from './aliases';
import { catalogueEntry, COMMAND_CATALOGUE } from './catalogue';
import { editDistance } from './editDistance';
import { parseLink, parsePeople, parseRegister, parseRoles, parseWho } from './parsePeople';
import { parseEvidence, parseKeyAndReason, parseRaciChange, parseSearch, parseUpdate } from './parseUseCases';
import { parseIncidentLifecycle } from './parseIncidents';
import { parseEvidenceCommand } from './evidenceCommands';
import { parseTierCommand } from './tierCommands';
import { parseGpaiCommand } from './gpaiCommands';
import { commandSchema } from './schema';
import type { CommandName, ParsedCommand, ParseFailure } from './schema';
import { failure, join, noMoreThan, type Candidate, type Step } from './steps';

export interface ParseOptions {
  /** The playbook's RACI areas; when given, `raci UC-n <area>` only accepts one of them. */
  raciAreas?: readonly AreaChoice[];
  /** The playbook's roles; when given, role words (register, roles, people) only accept one of them. */
  roles?: readonly RoleChoice[];
}

export { failure } from './steps';

/**
 * The longest command text read. Slack's own message box allows a few thousand characters; a
 * longer text is refused with a message before any parsing, so no step can be made to work
 * over megabytes of one word.
 */
export const MAX_COMMAND_CHARS = 4_000;

/** Drops what channels put in front of the words: a Teams <at> mention, a leading "steward" or "/steward". */
function clean(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    // Slack escapes mentions and emails as <@U123|ada lovelace> and <mailto:a@b.c|a@b.c>: keep one word.
    .replace(/<@([UW][A-Z0-9]+)\|[^>]*>/gi, '<@$1>')
    .replace(/<mailto:([^|>\s]+)\|[^>]*>/gi, '$1')
    .replace(/^\s*\/?@?steward\b[:,]?/i, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function parseList(words: string[]): Step {
  const rest = join(words, 1);
  if (!rest) return { name: 'list', filter: { kind: 'all' } };
  const word = normaliseWord(rest);
  if (['mine', 'my', 'me', 'my_use_cases'].includes(word)) return { name: 'list', filter: { kind: 'mine' } };
  const stage = STAGE_ALIASES.get(word);
  if (stage) return { name: 'list', filter: { kind: 'stage', stage } };
  const tier = TIER_ALIASES.get(word) ?? TIER_ALIASES.get(word.replace(/_?risk$/, ''));
  if (tier) return { name: 'list', filter: { kind: 'tier', tier } };
  return failure(`"${rest}" is not "mine", a stage (e.g. pilot) or a risk tier (e.g. high).`, 'list');
}

function parseRaci(words: string[], options: ParseOptions): Step {
  const useCaseKey = keyFrom('UC', words[1]) ?? words[1];
  const rest = join(words, 2);
  if (!rest) return { name: 'raci', useCaseKey };
  const area = areaFrom(rest, options.raciAreas);
  if (area) return { name: 'raci', useCaseKey, area };
  const known = options.raciAreas?.map((a) => a.id).join(', ');
  return failure(`Unknown area "${rest}"${known ? `; areas: ${known}` : ''}.`, 'raci');
}

function parseIncident(words: string[]): Step {
  if (words.length === 1) return { name: 'incident_form' };
  const existing = parseIncidentLifecycle(words);
  if (existing) return existing;
  const useCaseKey = keyFrom('UC', words[1]) ?? words[1];
  if (words.length === 2) return { name: 'incident_form', useCaseKey };
  const severity = severityFrom(words[2]!) ?? words[2];
  return { name: 'incident', useCaseKey, severity, description: join(words, 3) };
}

function parseCanUse(words: string[]): Step {
  // can UC-n use <model> with <data class ...>
  if (words[2]?.toLowerCase() !== 'use' || words[4]?.toLowerCase() !== 'with' || !words[5]) {
    return failure('Ask it as: can UC-n use <model> with <data class>.', 'can_use');
  }
  const dataWords = join(words, 5);
  return {
    name: 'can_use',
    useCaseKey: keyFrom('UC', words[1]) ?? words[1],
    modelName: words[3]!.toLowerCase(),
    dataClass: DATA_CLASS_ALIASES.get(normaliseWord(dataWords)) ?? dataWords,
  };
}

function flag(words: string[], name: CommandName, word: string, key: string): Step {
  const rest = join(words, 1).toLowerCase();
  if (!rest) return { name, [key]: false };
  if (rest === word) return { name, [key]: true };
  return failure(`Expected "${word}" or nothing after ${catalogueEntry(name).keyword}, not "${join(words, 1)}".`, name);
}

/** Commands of two words ("who approves"): the second word must follow. */
function second(words: string[], expected: string, name: CommandName): ParseFailure | undefined {
  return words[1]?.toLowerCase() === expected ? undefined : failure(`Did you mean "${catalogueEntry(name).keyword}"?`, name);
}

function parseHelp(words: string[]): Step {
  const rest = join(words, 1).toLowerCase();
  if (!rest) return { name: 'help' };
  const topic = COMMAND_CATALOGUE.find((e) => e.keyword === rest || e.name === normaliseWord(rest) || e.usage.toLowerCase() === rest);
  if (topic) return { name: 'help', topic: topic.name === 'incident_form' ? 'incident' : topic.name };
  const near = closestCommand(rest.split(' '));
  return failure(`There is no command "${rest}".${near ? ` Did you mean ${catalogueEntry(near).keyword}?` : ''}`, near ?? 'help');
}

function dispatch(words: string[], options: ParseOptions): Step | undefined {
  const head = words[0]!.toLowerCase();
  const key = (prefix: 'UC' | 'APR') => keyFrom(prefix, words[1]) ?? words[1];
  switch (head) {
    case 'help':
    case '?':
      return parseHelp(words);
    case 'propose':
      return noMoreThan(words, 1, 'propose') ?? { name: 'propose' };
    case 'show':
      return noMoreThan(words, 2, 'show') ?? { name: 'show', useCaseKey: key('UC') };
    case 'list':
      return parseList(words);
    case 'raci':
      return parseRaciChange(words, options) ?? parseRaci(words, options);
    case 'who':
      if (words[1]?.toLowerCase() === 'am') return parseWho(words);
      return second(words, 'approves', 'who_approves') ?? noMoreThan(words, 3, 'who_approves') ?? { name: 'who_approves', useCaseKey: keyFrom('UC', words[2]) ?? words[2] };
    case 'whoami':
      return noMoreThan(words, 1, 'whoami') ?? { name: 'whoami' };
    case 'register':
      return parseRegister(words, options);
    case 'roles':
    case 'role':
      return parseRoles(words, options);
    case 'people':
      return parsePeople(words, options);
    case 'link':
      return parseLink(words);
    case 'person':
      return second(words, 'erase', 'person_erase') ?? noMoreThan(words, 3, 'person_erase') ?? { name: 'person_erase', email: words[2] };
    case 'advance':
      return noMoreThan(words, 2, 'advance') ?? { name: 'advance', useCaseKey: key('UC') };
    case 'approvals':
      return noMoreThan(words, 1, 'approvals') ?? { name: 'approvals' };
    case 'approve':
      return { name: 'approve', approvalKey: key('APR'), ...(join(words, 2) ? { reason: join(words, 2) } : {}) };
    case 'reject':
      return { name: 'reject', approvalKey: key('APR'), ...(join(words, 2) ? { reason: join(words, 2) } : {}) };
    case 'incident':
      return parseIncident(words);
    case 'incidents':
      return flag(words, 'incidents', 'open', 'openOnly');
    case 'models':
      return noMoreThan(words, 1, 'models') ?? { name: 'models' };
    case 'model':
      if (words[2]?.toLowerCase() === 'gpai') return parseGpaiCommand(words);
      return noMoreThan(words, 2, 'model') ?? { name: 'model', modelName: words[1]?.toLowerCase() };
    case 'can':
      return parseCanUse(words);
    case 'reviews':
      return flag(words, 'reviews', 'overdue', 'overdueOnly');
    case 'review':
      return second(words, 'done', 'review_done') ?? noMoreThan(words, 4, 'review_done') ?? { name: 'review_done', useCaseKey: keyFrom('UC', words[2]) ?? words[2], evidenceUrl: words[3] };
    case 'kpis':
    case 'kpi':
      return noMoreThan(words, 1, 'kpis') ?? { name: 'kpis' };
    case 'history':
      return noMoreThan(words, 2, 'history') ?? { name: 'history', recordKey: words[1]?.toUpperCase() };
    case 'audit':
      return second(words, 'verify', 'audit_verify') ?? noMoreThan(words, 2, 'audit_verify') ?? { name: 'audit_verify' };
    case 'eval':
      return second(words, 'run', 'eval_run') ?? noMoreThan(words, 4, 'eval_run') ?? { name: 'eval_run', modelName: words[2]?.toLowerCase(), suite: words[3] };
    case 'suspend':
    case 'resume':
    case 'retire':
      return parseKeyAndReason(words, head);
    case 'evidence':
      return parseEvidenceCommand(words) ?? parseEvidence(words);
    case 'update':
      return parseUpdate(words);
    case 'tier':
      return parseTierCommand(words);
    case 'search':
    case 'find':
      return parseSearch(words);
    default:
      return undefined;
  }
}

/** The command whose keyword is nearest to what was typed, if it is near enough to be a typo. */
export function closestCommand(words: readonly string[]): CommandName | undefined {
  let best: { name: CommandName; distance: number } | undefined;
  for (const entry of COMMAND_CATALOGUE) {
    const typed = words.slice(0, entry.keyword.split(' ').length).join(' ');
    // Lengths further apart than 2 are more than 2 edits apart: skip before the O(n·m) table.
    if (Math.abs(typed.length - entry.keyword.length) > 2) continue;
    const distance = editDistance(typed.toLowerCase(), entry.keyword);
    if (distance <= 2 && distance < entry.keyword.length / 2 && (!best || distance < best.distance)) best = { name: entry.name, distance };
  }
  return best?.name;
}

export function parseCommand(text: string, options: ParseOptions = {}): ParsedCommand | ParseFailure {
  if (text.length > MAX_COMMAND_CHARS) {
    return failure(
      `That message is ${text.length.toLocaleString('en-GB')} characters long; commands are limited to ${MAX_COMMAND_CHARS.toLocaleString('en-GB')}. Shorten it, or use a form (for example: incident) for long descriptions.`,
    );
  }
  const cleaned = clean(text);
  if (!cleaned) return failure('Type a command, or help to see them all.', 'help');
  const words = cleaned.split(' ');
  const step = dispatch(words, options);
  if (!step) {
    const near = closestCommand(words);
    const typed = words[0]!.length > 40 ? `${words[0]!.slice(0, 40)}…` : words[0];
    return near
      ? failure(`I don't know "${typed}". Did you mean ${catalogueEntry(near).keyword}?`, near)
      : failure(`I don't know "${typed}". Type help to see the commands.`, 'help');
  }
  if (step.ok === false) return step as ParseFailure;
  const candidate = step as Candidate;
  const parsed = commandSchema.safeParse({ ...candidate, ok: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  const message = issue?.message ?? 'invalid command';
  // Messages written for people already name their field; only zod's generic ones get the prefix.
  return failure(`${/^expected|^a reason|^describe|^severity|^data class|^model name/.test(message) ? message : field + message}`, candidate.name);
}

export const isParseFailure = (result: ParsedCommand | ParseFailure): result is ParseFailure => !result.ok;
