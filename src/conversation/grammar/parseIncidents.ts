/**
 * `incident INC-n [status|note|serious|report submitted ...]`: the words after an incident id.
 * An INC- id after "incident" means an existing incident; a UC- id still means a new report.
 */
import { keyFrom, normaliseWord } from './aliases';
import type { SERIOUS_BASIS_IDS, TARGET_STATUSES } from './incidentCommands';
import { failure, join, noMoreThan, type Step } from './steps';

type TargetStatus = (typeof TARGET_STATUSES)[number];
type BasisId = (typeof SERIOUS_BASIS_IDS)[number];

export const INCIDENT_STATUS_ALIASES: ReadonlyMap<string, TargetStatus> = new Map([
  ['triage', 'triaged'],
  ['triaged', 'triaged'],
  ['mitigate', 'mitigating'],
  ['mitigating', 'mitigating'],
  ['mitigation', 'mitigating'],
  // Only a resolved incident may go back; the domain refuses the rest with the reason.
  ['reopen', 'mitigating'],
  ['resolve', 'resolved'],
  ['resolved', 'resolved'],
  ['close', 'closed'],
  ['closed', 'closed'],
]);

/** Art. 73(2)-(4): the grammar offers the regulation's words, the domain keeps one id for 73(3). */
export const SERIOUS_BASIS_ALIASES: ReadonlyMap<string, BasisId> = new Map([
  ['general', 'general'],
  ['widespread', 'widespread_or_critical_infrastructure'],
  ['widespread_infringement', 'widespread_or_critical_infrastructure'],
  ['critical_infrastructure', 'widespread_or_critical_infrastructure'],
  ['critical', 'widespread_or_critical_infrastructure'],
  ['infrastructure', 'widespread_or_critical_infrastructure'],
  ['widespread_or_critical_infrastructure', 'widespread_or_critical_infrastructure'],
  ['death', 'death'],
  ['fatal', 'death'],
  ['fatality', 'death'],
]);

const SUBCOMMANDS = 'status, note, serious, report submitted|initial|complete, aware or provider informed';

function parseStatus(incidentKey: string, statusWord: string | undefined, noteWords: string): Step {
  if (!statusWord) return failure('Say which status: triaged, mitigating, resolved or closed.', 'incident_status');
  const status = INCIDENT_STATUS_ALIASES.get(normaliseWord(statusWord)) ?? statusWord;
  return { name: 'incident_status', incidentKey, status, ...(noteWords ? { note: noteWords } : {}) };
}

/** serious <basis words…> [aware YYYY-MM-DD] */
function parseSerious(incidentKey: string, words: string[]): Step {
  const awareAt = words.findIndex((w, i) => i >= 3 && w.toLowerCase() === 'aware');
  const basisWords = join(words.slice(0, awareAt < 0 ? words.length : awareAt), 3);
  if (!basisWords) return failure('Say the basis: general, widespread, critical-infrastructure or death.', 'incident_serious');
  const basis = SERIOUS_BASIS_ALIASES.get(normaliseWord(basisWords)) ?? basisWords;
  if (awareAt < 0) return { name: 'incident_serious', incidentKey, basis };
  if (words.length !== awareAt + 2) return failure('After "aware" give one date, e.g. aware 2026-03-14.', 'incident_serious');
  return { name: 'incident_serious', incidentKey, basis, awareOn: words[awareAt + 1] };
}

/** report submitted|complete|initial <reference…> (Art. 73(5): initial, then complete) */
function parseReport(incidentKey: string, words: string[]): Step {
  const kindWord = words[3]?.toLowerCase();
  const kind = kindWord === 'initial' ? 'initial' : kindWord === 'submitted' || kindWord === 'complete' ? 'complete' : undefined;
  if (!kind) return failure(`Did you mean "incident ${incidentKey} report submitted <reference>" (or "report initial" / "report complete")?`, 'incident_report');
  return { name: 'incident_report', incidentKey, kind, reportRef: join(words, 4) };
}

/** aware YYYY-MM-DD because <reason…>: AI Governance & Legal's correction of the awareness day. */
function parseAware(incidentKey: string, words: string[]): Step {
  if (words[4]?.toLowerCase() !== 'because') return failure(`Say why: "incident ${incidentKey} aware YYYY-MM-DD because <reason>".`, 'incident_aware');
  return { name: 'incident_aware', incidentKey, awareOn: words[3], reason: join(words, 5) };
}

/** provider informed [note…] (Art. 26(5)) */
function parseProviderInformed(incidentKey: string, words: string[]): Step {
  if (words[3]?.toLowerCase() !== 'informed') return failure(`Did you mean "incident ${incidentKey} provider informed [note]"?`, 'incident_provider_informed');
  const note = join(words, 4);
  return { name: 'incident_provider_informed', incidentKey, ...(note ? { note } : {}) };
}

/** Words of `incident INC-n ...`, or undefined when words[1] is not an incident id. */
export function parseIncidentLifecycle(words: string[]): Step | undefined {
  const incidentKey = keyFrom('INC', words[1]);
  if (!incidentKey) return undefined;
  const sub = words[2]?.toLowerCase();
  if (!sub || sub === 'show') return noMoreThan(words, 3, 'incident_show') ?? { name: 'incident_show', incidentKey };
  switch (sub) {
    case 'status':
      return parseStatus(incidentKey, words[3], join(words, 4));
    case 'note':
      return { name: 'incident_note', incidentKey, text: join(words, 3) };
    case 'serious':
      return parseSerious(incidentKey, words);
    case 'report':
      return parseReport(incidentKey, words);
    case 'aware':
      return parseAware(incidentKey, words);
    case 'provider':
      return parseProviderInformed(incidentKey, words);
    default:
      // "incident INC-3 resolve fixed the prompt" reads naturally: the status word may come first.
      if (INCIDENT_STATUS_ALIASES.has(normaliseWord(sub))) return parseStatus(incidentKey, words[2], join(words, 3));
      return failure(`After ${incidentKey} say ${SUBCOMMANDS}, not "${words[2]}".`, 'incident_status');
  }
}
