/**
 * A use case's compliance record (stream `compliance:UC-n`) read straight from its history
 * head, for domain operations that have no EvidencePorts (the production gate, the weekly
 * digest). Same newest version the ComplianceRepository returns; dates revived from the state.
 */
import type { DomainContext } from '../ports';
import type { UseCaseCompliance } from './types';

const date = (v: unknown): Date | undefined => (v === undefined || v === null ? undefined : new Date(v as string));

export async function readComplianceHead(ctx: Pick<DomainContext, 'repos'>, useCaseKey: string): Promise<UseCaseCompliance | null> {
  const head = await ctx.repos.audit.head(`compliance:${useCaseKey}`);
  const s = head?.state as any;
  if (!s) return null;
  const at = (o: any) => (o ? { ...o, at: date(o.at) } : undefined);
  return {
    rev: head!.version,
    key: useCaseKey,
    ...(s.fria ? { fria: { ...at(s.fria), ...(s.fria.notifiedAt ? { notifiedAt: date(s.fria.notifiedAt) } : {}) } } : {}),
    ...(s.registration ? { registration: at(s.registration) } : {}),
    ...(s.conformity ? { conformity: at(s.conformity) } : {}),
    monitoringReports: (s.monitoringReports ?? []).map((r: any) => ({ ...r, from: date(r.from), to: date(r.to) })),
    updatedAt: date(s.updatedAt) ?? new Date(0),
  };
}
