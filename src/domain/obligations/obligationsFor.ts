/**
 * The obligations one use case owes on a given day, from its tier, high-risk route, the
 * organisation's role (provider/deployer, Art. 25), its answers and placed-on-market date,
 * and the application dates in force. Pure: the playbook (regulation.yaml `obligations`)
 * says what exists and when; this only matches it to the use case.
 */
import type { ObligationDef, Policy } from '../policy';
import type { UseCase } from '../types';
import { classifyRisk, type RiskClassification } from '../usecases/classifyRisk';
import { answerMatches, positiveSelections } from '../usecases/riskAnswers';
import type { Obligation, ObligationParty } from './types';
import { dateInForce, isoDay } from './dates';

export type ObligationUseCase = Pick<UseCase, 'tier' | 'answers'>;

export function obligationsFor(useCase: ObligationUseCase, policy: Policy, today: Date): Obligation[] {
  const reg = policy.regulation;
  if (!reg?.obligations?.length || useCase.tier === 'prohibited') return [];
  const c = classifyRisk(useCase.answers, policy.risk, reg);
  const day = isoDay(today);
  const placed = placedOnMarket(useCase, policy);
  const out: Obligation[] = [];
  for (const def of reg.obligations) {
    const party = owedBy(def, c);
    if (!party || !matches(def, useCase, c, policy)) continue;
    const from = appliesFrom(def, c, placed, policy);
    if (!from) continue; // the duty does not exist under the dates in force
    out.push({
      id: def.id,
      article: def.article,
      title: def.title,
      party,
      appliesFrom: from.date,
      state: from.date <= day ? 'applies' : 'not_yet_applicable',
      controlIds: [...def.controlIds],
      reason: reasonFor(def, useCase, c, party, from),
    });
  }
  return out;
}

/** The first party the organisation is that owes the obligation, if any. */
function owedBy(def: ObligationDef, c: RiskClassification): ObligationParty | undefined {
  return def.party.find((p) => c.parties.includes(p));
}

function matches(def: ObligationDef, uc: ObligationUseCase, c: RiskClassification, policy: Policy): boolean {
  const w = def.when;
  if (w.tiers && !w.tiers.includes(uc.tier)) return false;
  if (w.routes && (!c.route || !w.routes.includes(c.route))) return false;
  if (w.art50 && !c.art50.some((d) => d.ref === w.art50 && !d.exemptBecause)) return false;
  if (w.fria !== undefined && w.fria !== c.fria) return false;
  if (w.exemption63 !== undefined && w.exemption63 !== Boolean(c.derogation)) return false;
  const holds = ([qid, values]: [string, (string | boolean)[]]) =>
    answerMatches(policy.risk.questions.find((q) => q.id === qid), uc.answers[qid], values);
  if (w.if && !Object.entries(w.if).every(holds)) return false;
  if (w.ifAny && !Object.entries(w.ifAny).some(holds)) return false;
  return true;
}

interface From {
  date: string;
  row: string;
}

function appliesFrom(def: ObligationDef, c: RiskClassification, placed: string | undefined, policy: Policy): From | undefined {
  const reg = policy.regulation;
  if (def.fromIfPlacedBefore && placed && placed < def.fromIfPlacedBefore.date) {
    const date = dateInForce(reg, def.fromIfPlacedBefore.row);
    if (date) return { date, row: def.fromIfPlacedBefore.row };
  }
  const row = def.fromByRoute ? def.fromByRoute[c.route ?? 'annex_iii'] : def.from;
  if (!row) return undefined;
  const date = dateInForce(reg, row);
  return date ? { date, row } : undefined;
}

function placedOnMarket(uc: ObligationUseCase, policy: Policy): string | undefined {
  const q = policy.risk.questions.find((x) => x.signal === 'placed_on_market');
  if (!q) return undefined;
  return positiveSelections(q, uc.answers[q.id])[0];
}

function reasonFor(def: ObligationDef, uc: ObligationUseCase, c: RiskClassification, party: ObligationParty, from: From): string {
  const route = c.route === 'annex_i' ? `Annex I product route (Art. 6(1)${c.annexIAct ? `, ${c.annexIAct}` : ''})` : c.route === 'annex_iii' ? `Annex III route (${c.annexIII.join(', ') || 'Art. 6(2)'})` : undefined;
  const parts = [`${uc.tier} tier`, ...(route && def.when.tiers?.includes('high') ? [route] : []), `owed as ${party}`];
  if (def.when.art50) parts.push(`${def.when.art50} found applicable`);
  if (def.when.fria) parts.push('Art. 27(1) deployer type or Annex III 5(b)/(c)');
  if (def.when.exemption63) parts.push(`Art. 6(3) derogation relied on (${c.derogation?.conditions.join(', ')})`);
  if (def.when.if || def.when.ifAny) parts.push('per the intake answers');
  return `${parts.join('; ')}; applies from ${from.date} (${from.row} under the dates in force).`;
}
