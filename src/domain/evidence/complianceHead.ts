/**
 * A use case's compliance record (stream `compliance:UC-n`) read straight from its history
 * head, for domain operations that have no EvidencePorts (the production gate, the weekly
 * digest). Same newest version the ComplianceRepository returns; dates revived from the state.
 */
import type { DomainContext } from '../ports';
import type { Conformity, Fria, MonitoringReport, Registration, UseCaseCompliance } from './types';

type Json = Record<string, unknown>;
const date = (v: unknown): Date | undefined => (v === undefined || v === null ? undefined : new Date(v as string));
const withAt = <T>(o: unknown): T => ({ ...(o as Json), at: date((o as Json).at) }) as T;

export async function readComplianceHead(ctx: Pick<DomainContext, 'repos'>, useCaseKey: string): Promise<UseCaseCompliance | null> {
  const head = await ctx.repos.audit.head(`compliance:${useCaseKey}`);
  const s = head?.state as Json | undefined;
  if (!head || !s) return null;
  const fria = s.fria as Json | undefined;
  return {
    rev: head.version,
    key: useCaseKey,
    ...(fria ? { fria: { ...withAt<Fria>(fria), ...(fria.notifiedAt ? { notifiedAt: date(fria.notifiedAt)! } : {}) } } : {}),
    ...(s.registration ? { registration: withAt<Registration>(s.registration) } : {}),
    ...(s.conformity ? { conformity: withAt<Conformity>(s.conformity) } : {}),
    monitoringReports: ((s.monitoringReports as Json[] | undefined) ?? []).map((r) => ({ ...r, from: date(r.from), to: date(r.to) }) as MonitoringReport),
    updatedAt: date(s.updatedAt) ?? new Date(0),
  };
}
