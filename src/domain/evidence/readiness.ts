/**
 * Readiness: for each obligation that the legal model (issue 13) says a use case owes, whether
 * the record shows it met, missing, or not yet applicable on the day asked. Pure: the
 * obligations come in already computed; nothing here decides what the law requires.
 */
import type { Obligation } from '../obligations/types';
import type { UseCase } from '../types';
import type { UseCaseCompliance } from './types';

export type ReadinessState = 'met' | 'missing' | 'not_yet';

export interface ReadinessItem {
  obligation: Obligation;
  state: ReadinessState;
  /** What shows it met, or what is missing. */
  detail: string;
}

export interface Readiness {
  useCaseKey: string;
  items: ReadinessItem[];
  counts: { applies: number; met: number; missing: number; notYet: number };
}

/** Article prefix → what in the compliance record meets it (the rest is met by control evidence). */
const RECORD_CHECKS: { prefix: string; met: (c: UseCaseCompliance | null) => string | undefined; missing: string }[] = [
  { prefix: 'Art. 27', met: (c) => (c?.fria ? `FRIA recorded ${day(c.fria.at)}${c.fria.notifiedAt ? `, notified ${day(c.fria.notifiedAt)}` : ''}` : undefined), missing: 'no FRIA recorded (evidence fria UC-n)' },
  { prefix: 'Art. 49', met: (c) => (c?.registration ? `registered ${c.registration.registrationId} on ${c.registration.registeredOn}` : undefined), missing: 'no EU database registration recorded (evidence register UC-n <id> <date>)' },
  { prefix: 'Art. 26(8)', met: (c) => (c?.registration ? `registered ${c.registration.registrationId} on ${c.registration.registeredOn}` : undefined), missing: 'no EU database registration recorded (evidence register UC-n <id> <date>)' },
  { prefix: 'Art. 47', met: (c) => (c?.conformity?.declarationRef ? `declaration ${c.conformity.declarationRef}` : undefined), missing: 'no EU declaration of conformity recorded' },
  { prefix: 'Art. 48', met: (c) => (c?.conformity?.ceMarkedOn ? `CE marking affixed ${c.conformity.ceMarkedOn}` : undefined), missing: 'no CE marking recorded' },
  { prefix: 'Art. 43', met: (c) => (c?.conformity?.route ? `route ${c.conformity.route}` : undefined), missing: 'no conformity assessment route recorded' },
  { prefix: 'Art. 72', met: (c) => (c?.monitoringReports.length ? `${c.monitoringReports.length} monitoring report(s)` : undefined), missing: 'no post-market monitoring report yet (evidence monitor UC-n)' },
];

const day = (d: Date): string => d.toISOString().slice(0, 10);

function stateOf(o: Obligation, uc: UseCase, compliance: UseCaseCompliance | null): { state: ReadinessState; detail: string } {
  if (o.state === 'not_yet_applicable') return { state: 'not_yet', detail: `applies from ${o.appliesFrom}` };
  const check = RECORD_CHECKS.find((c) => o.article.startsWith(c.prefix) && !/\d/.test(o.article.slice(c.prefix.length, c.prefix.length + 1)));
  if (check) {
    const met = check.met(compliance);
    return met ? { state: 'met', detail: met } : { state: 'missing', detail: check.missing };
  }
  if (!o.controlIds.length) return { state: 'missing', detail: 'no control is linked to this obligation in the playbooks' };
  const lacking = o.controlIds.filter((id) => !uc.evidence.some((e) => e.controlId === id));
  return lacking.length ? { state: 'missing', detail: `no evidence for ${lacking.join(', ')}` } : { state: 'met', detail: `evidence for ${o.controlIds.join(', ')}` };
}

export function readinessOf(uc: UseCase, obligations: readonly Obligation[], compliance: UseCaseCompliance | null): Readiness {
  // Stable order: article, then id, whatever order the legal model returned them in.
  const sorted = [...obligations].sort((a, b) => a.article.localeCompare(b.article, 'en', { numeric: true }) || a.id.localeCompare(b.id));
  const items = sorted.map((obligation) => ({ obligation, ...stateOf(obligation, uc, compliance) }));
  const count = (s: ReadinessState) => items.filter((i) => i.state === s).length;
  return {
    useCaseKey: uc.key,
    items,
    counts: { applies: items.length - count('not_yet'), met: count('met'), missing: count('missing'), notYet: count('not_yet') },
  };
}

/** Whether an obligation of this article applies today (e.g. Art. 49 → registration required). */
export function owes(obligations: readonly Obligation[], prefix: string): Obligation | undefined {
  return obligations.find((o) => o.article.startsWith(prefix) && !/\d/.test(o.article.slice(prefix.length, prefix.length + 1)));
}
