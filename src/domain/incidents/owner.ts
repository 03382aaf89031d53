/**
 * Who owns a new incident: the Responsible (else Accountable) for safety & compliance on the
 * use case's RACI, else the model's owner, else the reporter. Someone always owns it.
 */
import type { RegisteredModel, UseCase } from '../types';

export const SAFETY_AREA = 'safety_compliance';

export function incidentOwner(opts: { useCase?: UseCase | null; model?: RegisteredModel | null; reporterId: string }): string {
  const area = opts.useCase?.raci.find((a) => a.area === SAFETY_AREA);
  return area?.responsible[0] ?? area?.accountable[0] ?? opts.model?.ownerId ?? opts.reporterId;
}
