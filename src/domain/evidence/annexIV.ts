/**
 * Annex IV technical documentation, its nine points in the order of the Annex, each filled from
 * what the record holds and a gap ("not provided — owner: …") for what it does not. Headings
 * and texts come from playbooks/evidence.yaml (copied from the Official Journal). Pure.
 */
import type { PackSource } from './collectSource';
import { accountable, answer, controlBlocks, day, gap, personName, pct, raciNames } from './packParts';
import type { PackContext } from './buildPack';
import { monitoringPlanBlocks } from './monitoring';
import type { Block, DocSection } from './types';

type PointBuilder = (src: PackSource, pc: PackContext) => Block[];

const legal = (src: PackSource) => accountable(src, 'safety_compliance');
const product = (src: PackSource) => accountable(src, 'model_selection');
const infra = (src: PackSource) => accountable(src, 'infrastructure');

function general(src: PackSource, pc: PackContext): Block[] {
  const uc = src.useCase;
  const role = answer(uc, 'operator_role') ?? answer(uc, 'role');
  const provider = answer(uc, 'provider_name');
  return [
    {
      kind: 'fields',
      rows: [
        ['AI system', `${uc.key} ${uc.title}`],
        ['Intended purpose', uc.description],
        ['Risk tier', `${uc.tier}${uc.tierReasons.length ? ` — ${uc.tierReasons.join('; ')}` : ''}`],
        ['Version of the system', `record version ${uc.rev ?? '—'} (${src.changes.length} recorded changes since ${day(uc.createdAt)})`],
        ['Lifecycle stage', pc.policy.lifecycle.stages.find((s) => s.id === uc.stage)?.name ?? uc.stage],
        ['Data classes', uc.dataClasses.join(', ') || '—'],
        ['Owner', personName(src, uc.ownerId)],
      ],
    },
    ...(role ? [{ kind: 'fields', rows: [['Provider or deployer', role]] } as Block] : [gap('whether the organisation is the provider or the deployer of this system', legal(src))]),
    ...(provider ? [{ kind: 'fields', rows: [['Name of the provider', provider]] } as Block] : [gap('the name of the provider', legal(src))]),
    {
      kind: 'table',
      header: ['Model (registry)', 'Provider', 'Version', 'Hosting', 'Status'],
      rows: src.models.map((m) => [`${m.displayName} (${m.name})`, m.provider, m.version, m.hosting === 'hosted_api' ? 'hosted API' : 'self-hosted', m.status]),
    },
    ...src.missingModels.map((name) => gap(`registry entry for model ${name}`, infra(src))),
    ...(src.models.length ? [] : [gap('the models this system calls (none named in the registry)', product(src))]),
    gap('forms in which the system is placed on the market or put into service, hardware it runs on, and the user interface provided to the deployer (Annex IV 1(d), (e), (g))', infra(src)),
    ...controlBlocks(src, pc.policy, 'CTL-TECHNICAL-DOCUMENTATION', product(src)),
  ];
}

function development(src: PackSource, pc: PackContext): Block[] {
  const uc = src.useCase;
  const oversight = answer(uc, 'human_in_the_loop');
  const runs = src.evalRuns;
  return [
    { kind: 'paragraph', text: 'Design specifications and architecture (2(a)–(c)):' },
    ...controlBlocks(src, pc.policy, 'CTL-TECHNICAL-DOCUMENTATION', product(src)),
    { kind: 'paragraph', text: 'Data requirements (2(d)):' },
    ...controlBlocks(src, pc.policy, 'CTL-DATA-GOVERNANCE', accountable(src, 'safety_compliance')),
    { kind: 'paragraph', text: 'Human oversight measures (2(e), Art. 14):' },
    {
      kind: 'fields',
      rows: [
        ['Human in the loop (intake answer)', oversight ?? '—'],
        ['Accountable for safety and compliance', raciNames(src, 'safety_compliance', 'accountable')],
        ['Responsible for safety and compliance', raciNames(src, 'safety_compliance', 'responsible')],
      ],
    },
    ...controlBlocks(src, pc.policy, 'CTL-HUMAN-OVERSIGHT', legal(src)),
    { kind: 'paragraph', text: 'Validation and testing (2(g)): evaluation runs from Steward, dated, with the thresholds they were assessed against.' },
    ...(runs.length
      ? [
          {
            kind: 'table',
            header: ['Run', 'Finished', 'Model', 'Suite', 'Pass rate', 'Hallucination', 'Injection resisted', 'Assessment'],
            rows: runs.map((r) => [
              r.runId,
              day(r.finishedAt),
              r.modelName,
              r.suite,
              pct(r.metrics.passRate),
              pct(r.metrics.hallucinationRate),
              pct(r.metrics.injectionResistance),
              r.assessment ? `${r.assessment.passed ? 'passed' : 'failed'}${r.assessment.reasons.length ? ` (${r.assessment.reasons.join('; ')})` : ''}` : 'not assessed',
            ]),
          } as Block,
        ]
      : [gap('evaluation runs of the models this system calls', raciNames(src, 'model_selection', 'responsible') === '—' ? product(src) : raciNames(src, 'model_selection', 'responsible'))]),
    ...controlBlocks(src, pc.policy, 'CTL-EVALUATION', product(src)),
    { kind: 'paragraph', text: 'Cybersecurity measures (2(h)):' },
    ...controlBlocks(src, pc.policy, 'CTL-PROMPT-INJECTION', infra(src)),
    ...controlBlocks(src, pc.policy, 'CTL-OUTPUT-HANDLING', infra(src)),
  ];
}

function functioning(src: PackSource, pc: PackContext): Block[] {
  const latest = [...src.evalRuns].reverse();
  const bySuite = new Map<string, (typeof latest)[number]>();
  for (const r of latest) if (!bySuite.has(`${r.modelName}/${r.suite}`)) bySuite.set(`${r.modelName}/${r.suite}`, r);
  return [
    { kind: 'paragraph', text: 'Capabilities and limitations in performance (latest run per model and suite):' },
    ...(bySuite.size
      ? [{ kind: 'list', items: [...bySuite.values()].map((r) => `${r.modelName} on ${r.suite} (${day(r.finishedAt)}): pass rate ${pct(r.metrics.passRate)}, p95 latency ${r.metrics.latencyP95Ms} ms`) } as Block]
      : [gap('measured accuracy of the system for its intended purpose', product(src))]),
    { kind: 'paragraph', text: 'Foreseeable unintended outcomes and sources of risk:' },
    ...controlBlocks(src, pc.policy, 'CTL-RISK-MANAGEMENT', legal(src)),
    { kind: 'paragraph', text: 'Logging and retention (Art. 12; deployers keep logs per Art. 26(6)):' },
    ...controlBlocks(src, pc.policy, 'CTL-LOGGING', infra(src)),
    { kind: 'paragraph', text: 'Stopping the system:' },
    ...controlBlocks(src, pc.policy, 'CTL-KILL-SWITCH', infra(src)),
  ];
}

function metrics(src: PackSource, pc: PackContext): Block[] {
  if (!pc.evalSuites.length) return [gap('the performance metrics and thresholds used', product(src))];
  return [
    { kind: 'paragraph', text: 'Each evaluation suite is gated on thresholds agreed before the run (playbooks/evals/thresholds.yaml):' },
    {
      kind: 'table',
      header: ['Suite', 'Min pass rate', 'Max hallucination', 'Min injection resisted'],
      rows: pc.evalSuites.map((s) => [s.suite, pct(s.minPassRate), pct(s.maxHallucinationRate), pct(s.minInjectionResistance)]),
    },
    gap('why these metrics are appropriate for this specific system', product(src)),
  ];
}

function riskManagement(src: PackSource, pc: PackContext): Block[] {
  return [
    ...controlBlocks(src, pc.policy, 'CTL-RISK-MANAGEMENT', legal(src)),
    { kind: 'paragraph', text: 'Incidents and corrective actions:' },
    src.incidents.length
      ? {
          kind: 'table',
          header: ['Incident', 'Reported', 'Severity', 'Category', 'Status', 'Corrective actions'],
          rows: src.incidents.map((i) => [
            `${i.key} ${i.title}`,
            day(i.createdAt),
            i.severity,
            i.category,
            `${i.status}${i.serious ? ` (serious, Art. 73; ${i.serious.reportSubmittedAt ? `reported ${day(i.serious.reportSubmittedAt)}` : `due ${day(i.serious.deadline)}`})` : ''}`,
            i.timeline.filter((t) => t.kind === 'status' || t.kind === 'kill_switch' || t.kind === 'note').map((t) => `${day(t.at)} ${t.text}`).join('; ') || '—',
          ]),
        }
      : { kind: 'paragraph', text: 'No incidents recorded.' },
  ];
}

function changes(src: PackSource): Block[] {
  return [
    {
      kind: 'table',
      header: ['Version', 'Date', 'Change', 'By'],
      rows: src.changes.map((c) => [String(c.version), day(c.at), c.action, personName(src, c.actorId)]),
    },
  ];
}

function standards(src: PackSource, pc: PackContext): Block[] {
  const iso = new Set<string>();
  for (const id of src.useCase.requiredControls) for (const ref of pc.policy.controls.find((c) => c.id === id)?.frameworks.iso42001 ?? []) iso.add(ref);
  return [
    gap('references of harmonised standards applied (none recorded in Steward)', legal(src)),
    { kind: 'paragraph', text: 'Other standards the required controls map to (playbooks/controls.yaml):' },
    { kind: 'list', items: iso.size ? [`ISO/IEC 42001:2023 Annex A: ${[...iso].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).join(', ')}`] : ['none'] },
  ];
}

function declaration(src: PackSource): Block[] {
  const c = src.compliance?.conformity;
  return c?.declarationRef
    ? [{ kind: 'fields', rows: [['EU declaration of conformity', c.declarationRef], ['Signed on', c.declarationSignedOn ?? '—']] }]
    : [gap('a copy of the EU declaration of conformity (Art. 47)', legal(src))];
}

const POINTS: Record<number, PointBuilder> = {
  1: general,
  2: development,
  3: functioning,
  4: metrics,
  5: riskManagement,
  6: (src) => changes(src),
  7: standards,
  8: (src) => declaration(src),
  9: (src, pc) => monitoringPlanBlocks(src, pc),
};

export function annexIVSections(src: PackSource, pc: PackContext): DocSection[] {
  return pc.texts.annexIV.sections.map((s) => ({
    id: `annex-iv-${s.point}`,
    heading: `Annex IV point ${s.point}: ${s.heading}`,
    blocks: [{ kind: 'quote', text: s.text, cite: `${pc.texts.regulation}, Annex IV point ${s.point}` }, ...(POINTS[s.point]?.(src, pc) ?? [])],
  }));
}

/** The change history alone (minimal packs show it without the rest of Annex IV). */
export const changeHistoryBlocks = changes;
