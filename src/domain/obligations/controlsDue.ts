/**
 * Which of a use case's required controls are due today: a control linked (in regulation.yaml)
 * only to obligations that do not apply yet is not demanded before its date; the earliest date
 * says when it will be. Controls linked to no obligation (organisational practice) are always due.
 * Pure: the obligations come from obligationsFor.
 */
import type { Obligation } from './types';

export interface ControlDue {
  controlId: string;
  due: boolean;
  /** When not due: the earliest day one of its obligations starts to apply (YYYY-MM-DD). */
  from?: string;
  /** The articles of the obligations that ask for it (empty: none, organisational practice). */
  articles: string[];
}

export function controlsDue(requiredControls: readonly string[], obligations: readonly Obligation[]): ControlDue[] {
  return requiredControls.map((controlId) => {
    const linked = obligations.filter((o) => o.controlIds.includes(controlId));
    const articles = [...new Set(linked.map((o) => o.article))];
    if (!linked.length || linked.some((o) => o.state === 'applies')) return { controlId, due: true, articles };
    const from = linked.map((o) => o.appliesFrom).sort()[0]!;
    return { controlId, due: false, from, articles };
  });
}
