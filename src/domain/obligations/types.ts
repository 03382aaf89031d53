/**
 * The obligations the EU AI Act puts on one use case, as the legal model (issue 13) derives
 * them and the evidence packs and readiness views (issue 14) consume them. Pure data.
 */
export type ObligationParty = 'provider' | 'deployer';

/** Where an obligation stands for one use case on a given day. */
export type ObligationState = 'applies' | 'not_yet_applicable';

export interface Obligation {
  /** Stable id, e.g. `art26_1_instructions_for_use`. */
  id: string;
  /** Article, paragraph and point exactly as in Regulation (EU) 2024/1689, e.g. `Art. 26(1)`. */
  article: string;
  /** Short title taken from the reference data or the playbook, never invented. */
  title: string;
  /** Who owes it for this use case. */
  party: ObligationParty;
  /** ISO date (YYYY-MM-DD) from which it applies to this use case under the dates in force. */
  appliesFrom: string;
  /** `applies` when appliesFrom <= the day asked about. */
  state: ObligationState;
  /** Controls (playbooks/controls.yaml ids) whose evidence meets it, when any. */
  controlIds: string[];
  /** Why it applies to this use case (tier, route, role, answers), one sentence. */
  reason: string;
}
