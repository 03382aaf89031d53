/**
 * EU AI Act risk tier from the intake answers. Pure and deterministic: the same answers and
 * policy always give the same tier, legal basis and reasons, so a classification can be re-run
 * and audited. The legal references come from the policy (playbooks/risk.yaml), never from
 * this code; the order of the checks is the Regulation's: Art. 5, then Art. 6(1), Art. 6(2)
 * with the Art. 6(3) derogation, then Art. 50 (which also applies next to a high-risk tier).
 */
import type { RegulationPolicy, RiskPolicy, RiskQuestion } from '../policy';
import type { DataClass, RiskTier } from '../types';
import { dateInForce } from '../obligations/dates';
import { asList, picksOf, type RiskAnswers } from './riskAnswers';

export { positiveSelections, type RiskAnswers } from './riskAnswers';

export type Party = 'provider' | 'deployer';

/** One Art. 50 paragraph found relevant: who owes it and, when it does not apply, why. */
export interface Art50Duty {
  ref: string;
  party: Party;
  question: string;
  /** Set when an exemption of the paragraph applies (the duty is then not owed). */
  exemptBecause?: string;
}

export interface RiskClassification {
  tier: RiskTier;
  /** Why, each naming its legal reference; never contradicting each other. */
  reasons: string[];
  /** The provisions the tier rests on, to the point and letter (e.g. "Annex III 4(a)"). */
  legalBasis: string[];
  dataClasses: DataClass[];
  /** High-risk route (also set when the Art. 6(3) derogation takes an Annex III system below high). */
  route?: 'annex_i' | 'annex_iii';
  /** Annex III points ticked, e.g. ["Annex III 4(a)"]. */
  annexIII: string[];
  /** The Annex I act named for Art. 6(1). */
  annexIAct?: string;
  /** The Art. 6(3) derogation relied on: the conditions met. The lower tier needs Art. 6(4) + sign-off. */
  derogation?: { conditions: string[] };
  /** Art. 50 paragraphs that apply (exemptBecause unset) or were found exempt. */
  art50: Art50Duty[];
  /** Which parties the organisation is for this use case (Art. 25 included). */
  parties: Party[];
  /** An Art. 27 fundamental rights impact assessment is triggered. */
  fria: boolean;
}

const refText = (ref?: string) => (ref ? ` (${ref})` : '');

export function classifyRisk(answers: RiskAnswers, risk: RiskPolicy, regulation?: RegulationPolicy): RiskClassification {
  const qs = (signal: RiskQuestion['signal']) => risk.questions.filter((q) => q.signal === signal);
  const picks = (q: RiskQuestion) => picksOf(q, answers, risk);
  const yes = (signal: RiskQuestion['signal']) => qs(signal).filter((q) => picks(q).length > 0);
  const optionOf = (q: RiskQuestion, id: string) => q.options?.find((o) => o.id === id);

  const known = new Set(risk.dataClasses.map((d) => d.id));
  const dataClasses = [
    ...new Set(qs('data_classes').flatMap((q) => asList(answers[q.id]).filter((id): id is DataClass => known.has(id as DataClass)))),
  ].sort((a, b) => rank(risk, b) - rank(risk, a));

  const art50 = transparencyDuties(risk, answers, picks);
  const applicable50 = art50.filter((d) => !d.exemptBecause);
  const exempt50 = art50.filter((d) => d.exemptBecause).map((d) => `${d.ref} does not apply: ${d.exemptBecause}`);
  const role = qs('role').flatMap(picks)[0];
  const shifts = qs('role_shift').flatMap((q) => picks(q).map((id) => optionOf(q, id)?.label ?? id));
  const base = { dataClasses, art50, annexIII: [] as string[] };

  // Art. 5 first: a prohibited practice ends the analysis.
  const prohibited: { text: string; ref: string }[] = [];
  const notYet: string[] = [];
  for (const q of qs('prohibited')) {
    for (const id of picks(q)) {
      const o = optionOf(q, id);
      const ref = o?.ref ?? q.ref ?? 'Art. 5';
      if (o?.appliesFrom) {
        const from = dateInForce(regulation, o.appliesFrom);
        if (!from) {
          notYet.push(`${o.label}: not an Art. 5 practice under the dates in force (${regulation?.datesInForce ?? 'no regulation playbook'})`);
          continue;
        }
        prohibited.push({ text: `${o.label} (${ref}, prohibited from ${from})`, ref });
        continue;
      }
      prohibited.push({ text: `${o?.label ?? id}${refText(ref)}`, ref });
    }
  }
  if (prohibited.length) {
    return {
      ...base,
      tier: 'prohibited',
      reasons: prohibited.map((p) => `Prohibited practice: ${p.text}`),
      legalBasis: [...new Set(prohibited.map((p) => p.ref))],
      parties: partiesFor(role, [], false),
      fria: false,
    };
  }

  // Art. 6(1): Annex I products and safety components.
  const annexIQ = yes('high');
  const actQ = qs('annex_i_act')[0];
  const actId = actQ ? picks(actQ)[0] : undefined;
  const annexIAct = actQ && actId ? (optionOf(actQ, actId)?.label ?? actId) : undefined;

  // Art. 6(2): Annex III points, from the list and from questions that imply a point.
  const annexIII: { ref: string; label: string }[] = [];
  for (const q of qs('high_annex_iii')) for (const id of picks(q)) annexIII.push({ ref: optionOf(q, id)?.ref ?? q.ref ?? 'Annex III', label: optionOf(q, id)?.label ?? id });
  for (const q of qs('transparency')) if (q.annexIII && picks(q).length && !annexIII.some((a) => a.ref === q.annexIII)) annexIII.push({ ref: q.annexIII, label: q.text });
  const annexRefs = annexIII.map((a) => a.ref);

  const conditions = yes('exemption').map((q) => q.ref ?? 'Art. 6(3)');
  const influences = yes('material_influence').length > 0;
  const profiling = yes('profiling').length > 0;
  const reasons: string[] = [];
  const legalBasis: string[] = [];
  let tier: RiskTier | undefined;
  let route: RiskClassification['route'];
  let derogation: RiskClassification['derogation'];

  if (annexIQ.length) {
    tier = 'high';
    route = 'annex_i';
    legalBasis.push(annexIQ[0]!.ref ?? 'Art. 6(1)', ...(annexIAct ? [`Annex I: ${annexIAct}`] : []));
    reasons.push(`High-risk: safety component of (or itself) a product under Annex I${annexIAct ? ` - ${annexIAct}` : ' (Annex I act not named yet)'} needing third-party conformity assessment${refText(annexIQ[0]!.ref)}`);
  }
  if (annexIII.length) {
    const why = profiling
      ? 'the system profiles natural persons, so it is always high-risk (Art. 6(3) last subparagraph)'
      : influences
        ? 'the system materially influences the outcome of decision-making (Art. 6(3) first subparagraph)'
        : !conditions.length
          ? 'none of the conditions of Art. 6(3)(a)-(d) applies'
          : undefined;
    if (why || tier === 'high') {
      tier = 'high';
      route ??= 'annex_iii';
      legalBasis.push('Art. 6(2)', ...annexRefs);
      reasons.push(...annexIII.map((a) => `High-risk: ${a.ref} - ${a.label} (Art. 6(2))`));
      if (why) reasons.push(`The Art. 6(3) derogation is not available: ${why}`);
    } else {
      route = 'annex_iii';
      derogation = { conditions };
      legalBasis.push(...conditions, 'Art. 6(4)');
      reasons.push(
        `${annexRefs.join(', ')} listed, but not high-risk under the Art. 6(3) derogation (${conditions.join(', ')}; no material influence on decisions, no profiling). ` +
          'The lower tier holds only once the Art. 6(4) assessment is recorded and AI Governance & Legal signs it off',
      );
    }
  }

  const parties = partiesFor(role, shifts, tier === 'high');
  if (tier === 'high' && role === 'deployer' && shifts.length) reasons.push(`Provider duties apply: as deployer the organisation becomes the provider (Art. 25) - ${shifts.join('; ')}`);
  const deployerTypes = qs('deployer_type').flatMap(picks);
  const fria =
    tier === 'high' &&
    route === 'annex_iii' &&
    parties.includes('deployer') &&
    annexRefs.some((r) => !r.startsWith('Annex III 2')) &&
    (deployerTypes.length > 0 || annexRefs.some((r) => r === 'Annex III 5(b)' || r === 'Annex III 5(c)'));

  if (tier === 'high') {
    // A high-risk system also carries its Art. 50 duties.
    for (const d of applicable50) reasons.push(`Also ${d.ref}, owed by the ${d.party}: ${questionText(risk, d.question)}`);
    reasons.push(...exempt50, ...notYet);
    legalBasis.push(...applicable50.map((d) => d.ref));
    return { ...base, tier, reasons, legalBasis: [...new Set(legalBasis)], route, annexIII: annexRefs, ...(annexIAct ? { annexIAct } : {}), parties, fria };
  }
  if (applicable50.length) {
    for (const d of applicable50) reasons.push(`Transparency: ${d.ref} applies, owed by the ${d.party}${d.party === 'provider' && !parties.includes('provider') ? ' of the system, not by this organisation as deployer' : ''}: ${questionText(risk, d.question)}`);
    reasons.push(...exempt50, ...notYet);
    legalBasis.push(...applicable50.map((d) => d.ref));
    return { ...base, tier: 'transparency', reasons, legalBasis: [...new Set(legalBasis)], ...(route ? { route } : {}), annexIII: annexRefs, ...(derogation ? { derogation } : {}), parties, fria: false };
  }
  reasons.push(
    `Minimal: no Art. 5 practice, no Annex I product (Art. 6(1))${derogation ? ', the Annex III use falls under the Art. 6(3) derogation' : ', no Annex III use (Art. 6(2))'} and no Art. 50 duty applies; only Art. 4 AI literacy and voluntary codes of conduct remain`,
    ...exempt50,
    ...notYet,
  );
  return { ...base, tier: 'minimal', reasons, legalBasis: [...new Set(legalBasis)], ...(route ? { route } : {}), annexIII: annexRefs, ...(derogation ? { derogation } : {}), parties, fria: false };
}

/** Art. 50 paragraphs from the answers, each either owed or exempt with the exemption's reason. */
function transparencyDuties(risk: RiskPolicy, answers: RiskAnswers, picks: (q: RiskQuestion) => string[]): Art50Duty[] {
  const out: Art50Duty[] = [];
  for (const q of risk.questions.filter((x) => x.signal === 'transparency')) {
    if (!picks(q).length) continue;
    const exemption = risk.questions.find((e) => e.signal === 'transparency_exemption' && e.exempts === q.id && picks(e).length > 0);
    out.push({ ref: q.ref ?? 'Art. 50', party: q.party ?? 'provider', question: q.id, ...(exemption ? { exemptBecause: `exempt - ${exemption.text}` } : {}) });
  }
  return out;
}

function partiesFor(role: string | undefined, shifts: string[], high: boolean): Party[] {
  if (role === 'both') return ['provider', 'deployer'];
  if (role === 'provider') return ['provider'];
  if (role === 'deployer') return high && shifts.length ? ['provider', 'deployer'] : ['deployer'];
  return ['provider', 'deployer']; // unanswered (older records): assume both, the stricter reading
}

const questionText = (risk: RiskPolicy, id: string) => risk.questions.find((q) => q.id === id)?.text ?? id;
const rank = (risk: RiskPolicy, id: DataClass) => risk.dataClasses.find((d) => d.id === id)?.rank ?? 0;
