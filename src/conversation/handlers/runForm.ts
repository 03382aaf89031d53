/** Form submissions: validated by parseFormSubmission, then one domain call. */
import { obligationsFor } from '../../domain/obligations/obligationsFor';
import { reportIncident } from '../../domain/incidents/reportIncident';
import { proposeUseCase } from '../../domain/usecases/proposeUseCase';
import type { Person, Severity } from '../../domain/types';
import { ART73_FORM_ID, INCIDENT_FORM_ID, INTAKE_FORM_ID, REJECT_FORM_ID, REVIEW_DONE_FORM_ID, type FormId, FORM_IDS } from '../actions';
import type { Art73ReportSubmission } from '../cards/forms/art73ReportForm';
import {
  parseFormSubmission,
  type FormValues,
  type IncidentSubmission,
  type IntakeSubmission,
  type RejectSubmission,
  type ReviewDoneSubmission,
} from '../cards/forms/parseFormSubmission';
import { useCaseCard } from '../cards/useCase';
import { EVIDENCE_FORM_ID, FRIA_FORM_ID, UPDATE_FORM_ID } from '../actions';
import type { FriaSubmission } from '../cards/forms/friaForm';
import { friaFormSubmitted } from './commands/evidence';
import type { EvidenceSubmission, UpdateSubmission } from '../cards/forms/useCaseFormSubmission';
import { evidenceReply, updateFromForm } from './commands/useCaseMaintenance';
import { vote } from './commands/approvals';
import { incidentReply } from './commands/incidents';
import { art73FormSubmitted } from './commands/incidentLifecycle';
import { reviewDone } from './commands/reviews';
import { peopleIndex, type HandlerDeps } from './deps';
import type { Reply } from './types';

export async function runForm(
  deps: HandlerDeps,
  actor: Person,
  formId: string,
  values: Record<string, unknown>,
  hidden: Record<string, string>,
): Promise<Reply> {
  if (!(FORM_IDS as readonly string[]).includes(formId)) {
    return { cards: [], formErrors: { _form: 'This form is not one Steward knows; open it again.' } };
  }
  const result = parseFormSubmission(formId as FormId, { ...(values as FormValues), ...hidden }, { policy: deps.ctx.policy, now: deps.ctx.clock.now() });
  if (!result.ok) return { cards: [], formErrors: { [result.field || '_form']: result.message } };
  const { ctx } = deps;
  switch (result.formId) {
    case INTAKE_FORM_ID: {
      const d = result.data as IntakeSubmission;
      const useCase = await proposeUseCase(ctx, { actorId: actor.id, title: d.title, description: d.description, answers: d.answers, models: d.models });
      const card = useCaseCard({ useCase, policy: ctx.policy, people: await peopleIndex(ctx), now: ctx.clock.now(), obligations: obligationsFor(useCase, ctx.policy, ctx.clock.now()) });
      card.context = `Proposed. ${useCase.requiredControls.length} controls apply at this tier.`;
      return { cards: [card] };
    }
    case INCIDENT_FORM_ID: {
      const d = result.data as IncidentSubmission;
      const incident = await reportIncident(ctx, {
        reporterId: actor.id,
        ...(d.useCaseKey ? { useCaseKey: d.useCaseKey } : {}),
        ...(d.modelName ? { modelName: d.modelName } : {}),
        category: d.category,
        severity: d.severity as Severity,
        // Without a title, reportIncident derives one from the description after redacting it.
        ...(d.title ? { title: d.title } : {}),
        description: d.description,
        killSwitch: d.killSwitch,
        // Art. 73 counts from awareness: the form's "Aware since" day, else (an old form) now.
        ...(d.seriousBasis ? { serious: { basis: d.seriousBasis, awareAt: d.awareAt ?? ctx.clock.now() } } : {}),
      });
      return incidentReply(deps, incident, actor);
    }
    case ART73_FORM_ID:
      return art73FormSubmitted(deps, actor, result.data as Art73ReportSubmission);
    case UPDATE_FORM_ID:
      return updateFromForm(deps, actor, result.data as UpdateSubmission);
    case EVIDENCE_FORM_ID:
      return evidenceReply(deps, actor, result.data as EvidenceSubmission);
    case FRIA_FORM_ID:
      return friaFormSubmitted(deps, actor, result.data as FriaSubmission);
    case REJECT_FORM_ID: {
      const d = result.data as RejectSubmission;
      return vote(deps, actor, d.approvalKey, 'reject', d.reason);
    }
    case REVIEW_DONE_FORM_ID: {
      const d = result.data as ReviewDoneSubmission;
      return reviewDone(deps, actor, {
        useCaseKey: d.useCaseKey,
        evidenceUrl: d.evidenceUrl,
        attestation: d.notes ? `Attested by ${actor.name}: ${d.notes}` : `Attested by ${actor.name} in chat.`,
      });
    }
  }
  return { cards: [] };
}
