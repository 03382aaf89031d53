/**
 * The Art. 72 post-market monitoring plan, derived from the playbooks and the record (what is
 * monitored, how often, who acts), and the periodic report: evaluation runs and incidents in a
 * period. Pure.
 */
import type { EvalRun } from '../evals/types';
import type { Incident } from '../types';
import type { PackSource } from './collectSource';
import type { PackContext } from './buildPack';
import { accountable, day, pct, raciNames } from './packParts';
import type { Block, MonitoringReport } from './types';

export function monitoringPlanBlocks(src: PackSource, pc: PackContext): Block[] {
  const cadence = pc.policy.cadences.find((c) => c.tier === src.useCase.tier);
  const reports = src.compliance?.monitoringReports ?? [];
  return [
    { kind: 'paragraph', text: 'Post-market monitoring plan (Art. 72(3)), derived from the playbooks and this record:' },
    {
      kind: 'table',
      header: ['What is monitored', 'How', 'Cadence'],
      rows: [
        ...pc.evalSuites.map((s) => [
          `Evaluation suite ${s.suite}`,
          `pass rate ≥ ${pct(s.minPassRate)}${s.maxHallucinationRate !== undefined ? `, hallucination ≤ ${pct(s.maxHallucinationRate)}` : ''}${s.minInjectionResistance !== undefined ? `, injection resisted ≥ ${pct(s.minInjectionResistance)}` : ''}`,
          s.everyDays ? `every ${s.everyDays} days` : 'on demand and before each gate',
        ]),
        ['Incidents', `categories: ${pc.policy.incidents.categories.map((c) => c.id).join(', ')}`, 'as reported; serious incidents on the Art. 73 clock'],
        ['Periodic review', cadence ? `frameworks: ${cadence.frameworks.join(', ')}` : '—', cadence ? `every ${cadence.everyDays} days` : '—'],
        ['KPIs', 'evaluation pass rate, failed runs, open and serious incidents', 'each monitoring report'],
      ],
    },
    {
      kind: 'fields',
      rows: [
        ['Who acts (Accountable, safety and compliance)', accountable(src, 'safety_compliance')],
        ['Responsible, safety and compliance', raciNames(src, 'safety_compliance', 'responsible')],
        ['Use case owner', src.people.get(src.useCase.ownerId)?.name ?? src.useCase.ownerId],
      ],
    },
    reports.length
      ? {
          kind: 'table',
          header: ['Report', 'Period', 'Evaluation runs (failed)', 'Incidents (serious)'],
          rows: reports.map((r) => [`#${r.seq}`, `${day(r.from)} – ${day(r.to)}`, `${r.evalRuns} (${r.failedRuns})`, `${r.incidents} (${r.seriousIncidents})`]),
        }
      : { kind: 'paragraph', text: 'No periodic monitoring report yet.' },
  ];
}

/** The next periodic report: what happened since the previous one (or since the use case began). */
export function nextMonitoringReport(input: {
  previous: MonitoringReport | undefined;
  since: Date;
  now: Date;
  runs: readonly EvalRun[];
  incidents: readonly Incident[];
  by: string;
}): MonitoringReport {
  const from = input.previous?.to ?? input.since;
  const inPeriod = (d: Date) => d.getTime() > from.getTime() && d.getTime() <= input.now.getTime();
  const runs = input.runs.filter((r) => inPeriod(r.finishedAt));
  const incidents = input.incidents.filter((i) => inPeriod(i.createdAt));
  return {
    seq: (input.previous?.seq ?? 0) + 1,
    from,
    to: input.now,
    evalRuns: runs.length,
    failedRuns: runs.filter((r) => r.assessment && !r.assessment.passed).length,
    incidents: incidents.length,
    seriousIncidents: incidents.filter((i) => i.serious).length,
    by: input.by,
  };
}
