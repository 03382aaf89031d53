/**
 * `evidence monitor UC-n`: the next Art. 72 periodic monitoring report, from the evaluation runs
 * and incidents since the previous report (or since the use case was proposed). The report is
 * computed on the version it is written on, so two at once give reports #n and #n+1, not twins.
 */
import { z } from 'zod';
import { parseInput, requireActor } from '../people/actor';
import type { DomainContext } from '../ports';
import { getUseCase, useCaseKey } from '../usecases/getUseCase';
import { requireComplianceOwner, requireOwed } from './complianceAccess';
import { nextMonitoringReport } from './monitoring';
import type { EvidencePorts } from './ports';
import type { MonitoringReport } from './types';
import { updateCompliance } from './updateCompliance';

export const recordMonitoringReportInput = z.object({ actorId: z.string().min(1), key: useCaseKey });
export type RecordMonitoringReportInput = z.input<typeof recordMonitoringReportInput>;

export async function recordMonitoringReport(ctx: DomainContext, ports: EvidencePorts, raw: RecordMonitoringReportInput): Promise<MonitoringReport> {
  const input = parseInput(recordMonitoringReportInput, raw, 'evidence.invalid_monitoring');
  const actor = await requireActor(ctx, input.actorId);
  const uc = await getUseCase(ctx, { key: input.key });
  requireComplianceOwner(actor, uc, 'a post-market monitoring report', true);
  const now = ctx.clock.now();
  requireOwed(ports, uc, now, 'Art. 72', 'post-market monitoring report');
  const runs = (await Promise.all(uc.models.map((m) => ports.evalRuns.list(m)))).flat();
  const incidents = await ctx.repos.incidents.list({ useCaseKey: uc.key });
  const record = await updateCompliance(ctx, ports, uc.key, (current) => {
    const report = nextMonitoringReport({ previous: current.monitoringReports.at(-1), since: uc.createdAt, now, runs, incidents, by: actor.id });
    return {
      record: { ...current, monitoringReports: [...current.monitoringReports, report], updatedAt: now },
      change: { at: now, actorId: actor.id, action: 'compliance.monitoring_reported', data: { useCaseKey: uc.key, seq: report.seq, evalRuns: report.evalRuns, incidents: report.incidents } },
    };
  });
  return record.monitoringReports.at(-1)!;
}
