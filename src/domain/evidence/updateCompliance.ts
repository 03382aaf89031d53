/**
 * Writes the next version of a use case's compliance record through updateRecord (read, decide,
 * one unique insert, retry on a lost race). A use case without one starts from an empty record.
 */
import { updateRecord, type Step } from '../records/updateRecord';
import type { DomainContext } from '../ports';
import type { EvidencePorts } from './ports';
import type { UseCaseCompliance } from './types';

export async function updateCompliance(
  ctx: DomainContext,
  ports: EvidencePorts,
  key: string,
  step: (current: UseCaseCompliance) => Step<UseCaseCompliance> | Promise<Step<UseCaseCompliance>>,
): Promise<UseCaseCompliance> {
  const store = {
    get: async (k: string): Promise<UseCaseCompliance> => (await ports.compliance.get(k)) ?? { rev: 0, key: k, monitoringReports: [], updatedAt: ctx.clock.now() },
    save: ports.compliance.save.bind(ports.compliance),
  };
  return (await updateRecord(ctx, store, key, step)).record;
}
