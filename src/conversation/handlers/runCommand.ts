/** One parsed command -> one domain call -> one reply. */
import type { Person } from '../../domain/types';
import { helpCard, parseFailureCard } from '../cards/help';
import { parseCommand } from '../grammar/parseCommand';
import type { ParsedCommand } from '../grammar/schema';
import { pendingApprovals, vote } from './commands/approvals';
import { auditVerifyReply, historyReply, kpisReply } from './commands/governance';
import { incidentForm, listIncidentsReply, quickIncident } from './commands/incidents';
import { tierConfirmReply, tierRejectReply } from './commands/tierSignoff';
import { incidentAwareReply, incidentNoteReply, incidentProviderInformedReply, incidentReportReply, incidentSeriousReply, incidentShowReply, incidentStatusReply } from './commands/incidentLifecycle';
import { eraseReply, linkReply, peopleReply, registerReply, roleListReply, rolesReply, whoamiReply } from './commands/people';
import { canUseReply, evalRunReply, listModelsReply, modelGpaiClearReply, modelGpaiReply, showModel } from './commands/registry';
import { listReviewsReply, reviewDone } from './commands/reviews';
import { raciAssignReply, resumeReply, retireReply, suspendReply, evidenceReply, updateFormReply } from './commands/useCaseMaintenance';
import { advanceReply, listUseCasesReply, proposeReply, raciReply, showUseCase, whoApprovesReply } from './commands/useCases';
import { evidenceConformityReply, evidenceMonitorReply, evidencePackReply, evidenceRegisterReply, evidenceSoaReply, evidenceSoaSetReply, friaFormReply } from './commands/evidence';
import type { HandlerDeps } from './deps';
import type { Reply, SentFrom } from './types';

export async function runCommand(deps: HandlerDeps, actor: Person, text: string, sentFrom?: SentFrom): Promise<Reply> {
  const { policy } = deps.ctx;
  // `/steward` alone (or an empty message) is someone asking what they can do.
  if (!text.trim()) return { cards: [helpCard()] };
  const parsed = parseCommand(text, {
    raciAreas: policy.raci.map((a) => ({ id: a.id, name: a.name })),
    roles: policy.roles.map((r) => ({ id: r.id, name: r.name })),
  });
  if (!parsed.ok) {
    const typedApproval = /\b(APR-\d+)\b/i.exec(text)?.[1]?.toUpperCase();
    return { cards: [parseFailureCard(parsed, typedApproval ? { approvalKey: typedApproval } : undefined)] };
  }
  return execute(deps, actor, parsed, sentFrom);
}

async function execute(deps: HandlerDeps, actor: Person, cmd: ParsedCommand, sentFrom?: SentFrom): Promise<Reply> {
  switch (cmd.name) {
    case 'help':
      return { cards: [helpCard(cmd.topic)] };
    case 'propose':
      return proposeReply(deps);
    case 'show':
      return showUseCase(deps, actor, cmd.useCaseKey);
    case 'list':
      return listUseCasesReply(deps, actor, cmd.filter);
    case 'raci':
      return raciReply(deps, actor, cmd.useCaseKey, cmd.area);
    case 'who_approves':
      return whoApprovesReply(deps, actor, cmd.useCaseKey);
    case 'advance':
      return advanceReply(deps, actor, cmd.useCaseKey);
    case 'approvals':
      return pendingApprovals(deps, actor);
    case 'approve':
      return vote(deps, actor, cmd.approvalKey, 'approve', cmd.reason);
    case 'reject':
      return vote(deps, actor, cmd.approvalKey, 'reject', cmd.reason);
    case 'incident_form':
      return incidentForm(deps, cmd.useCaseKey);
    case 'incident':
      return quickIncident(deps, actor, cmd);
    case 'incidents':
      return listIncidentsReply(deps, cmd.openOnly);
    case 'incident_show':
      return incidentShowReply(deps, actor, cmd.incidentKey);
    case 'incident_status':
      return incidentStatusReply(deps, actor, cmd);
    case 'incident_note':
      return incidentNoteReply(deps, actor, cmd);
    case 'incident_serious':
      return incidentSeriousReply(deps, actor, cmd);
    case 'incident_report':
      return incidentReportReply(deps, actor, cmd);
    case 'tier_confirm':
      return tierConfirmReply(deps, actor, cmd);
    case 'tier_reject':
      return tierRejectReply(deps, actor, cmd);
    case 'incident_aware':
      return incidentAwareReply(deps, actor, cmd);
    case 'incident_provider_informed':
      return incidentProviderInformedReply(deps, actor, cmd);
    case 'models':
      return listModelsReply(deps);
    case 'model':
      return showModel(deps, cmd.modelName);
    case 'model_gpai':
      return modelGpaiReply(deps, actor, cmd);
    case 'model_gpai_clear':
      return modelGpaiClearReply(deps, actor, cmd.modelName);
    case 'can_use':
      return canUseReply(deps, cmd.useCaseKey, cmd.modelName, cmd.dataClass);
    case 'reviews':
      return listReviewsReply(deps, cmd.overdueOnly);
    case 'review_done':
      return reviewDone(deps, actor, cmd);
    case 'kpis':
      return kpisReply(deps);
    case 'audit_verify':
      return auditVerifyReply(deps);
    case 'history':
      return historyReply(deps, actor, cmd.recordKey);
    case 'eval_run':
      return evalRunReply(deps, actor, cmd.modelName, cmd.suite);
    case 'register':
      return registerReply(deps, actor, cmd);
    case 'roles':
      return rolesReply(deps, actor, cmd);
    case 'role_list':
      return roleListReply(deps);
    case 'whoami':
      return whoamiReply(deps, actor);
    case 'people':
      return peopleReply(deps, cmd.role);
    case 'link':
      return linkReply(deps, actor, cmd, sentFrom);
    case 'person_erase':
      return eraseReply(deps, actor, cmd);
    case 'suspend':
      return suspendReply(deps, actor, cmd.useCaseKey, cmd.reason);
    case 'resume':
      return resumeReply(deps, actor, cmd.useCaseKey, cmd.reason);
    case 'retire':
      return retireReply(deps, actor, cmd.useCaseKey, cmd.reason);
    case 'evidence':
      return evidenceReply(deps, actor, { useCaseKey: cmd.useCaseKey, controlId: cmd.controlId, url: cmd.evidenceUrl, ...(cmd.note ? { note: cmd.note } : {}) });
    case 'raci_assign':
      return raciAssignReply(deps, actor, cmd);
    case 'update':
      return updateFormReply(deps, cmd.useCaseKey);
    case 'search':
      return listUseCasesReply(deps, actor, { kind: 'text', text: cmd.text });
    case 'evidence_pack':
      return evidencePackReply(deps, actor, cmd.useCaseKey);
    case 'evidence_fria':
      return friaFormReply(deps, actor, cmd.useCaseKey);
    case 'evidence_register':
      return evidenceRegisterReply(deps, actor, cmd);
    case 'evidence_conformity':
      return evidenceConformityReply(deps, actor, cmd);
    case 'evidence_monitor':
      return evidenceMonitorReply(deps, actor, cmd.useCaseKey);
    case 'evidence_soa':
      return evidenceSoaReply(deps);
    case 'evidence_soa_set':
      return evidenceSoaSetReply(deps, actor, cmd);
  }
}
