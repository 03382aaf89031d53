/**
 * The ISO/IEC 42001 Statement of Applicability of the organisation: every Annex A control (38,
 * ids and titles from the shipped catalogue), derived from the playbooks and the record — a
 * control applies when a playbook control maps to it; its status follows the evidence the use
 * cases requiring those controls have linked — unless an AI CoE admin decided otherwise.
 */
import { catalogue } from '../../catalog';
import type { Policy } from '../policy';
import type { UseCase } from '../types';
import type { SoaRecord, SoaStatus } from './types';

export interface SoaRow {
  controlId: string;
  title: string;
  applicable: boolean;
  justification: string;
  status: SoaStatus | 'not_applicable';
  /** Evidence links of use cases for the playbook controls mapped to it. */
  evidence: string[];
  /** Set when an admin decided it (who and when are in the record's history). */
  decidedBy?: string;
}

export const isoControls = (): { id: string; title: string }[] => catalogue.iso42001.objectives.flatMap((o) => o.controls);

export function deriveSoa(policy: Policy, useCases: readonly UseCase[], record: SoaRecord | null): SoaRow[] {
  return isoControls().map((c) => {
    const mapped = policy.controls.filter((pc) => pc.frameworks.iso42001.includes(c.id)).map((pc) => pc.id);
    const owing = useCases.filter((u) => u.stage !== 'retired' && u.tier !== 'prohibited').flatMap((u) => mapped.filter((m) => u.requiredControls.includes(m)).map((m) => ({ u, m })));
    const met = owing.filter(({ u, m }) => u.evidence.some((e) => e.controlId === m));
    const evidence = [...new Set(met.flatMap(({ u, m }) => u.evidence.filter((e) => e.controlId === m).map((e) => `${u.key} ${m}: ${e.url}`)))].sort();
    const derivedStatus: SoaStatus = !owing.length ? 'not_started' : met.length === owing.length ? 'implemented' : met.length ? 'partial' : 'not_started';
    const override = record?.overrides.find((o) => o.controlId === c.id);
    const applicable = override ? override.applicable : mapped.length > 0;
    return {
      controlId: c.id,
      title: c.title,
      applicable,
      justification: override
        ? override.justification
        : mapped.length
          ? `Playbook controls ${mapped.join(', ')} map to it (playbooks/controls.yaml).`
          : 'No playbook control maps to it yet; decide and justify (evidence soa <id> yes|no <why>).',
      status: !applicable ? 'not_applicable' : (override?.status ?? derivedStatus),
      evidence,
      ...(override ? { decidedBy: override.by } : {}),
    };
  });
}
