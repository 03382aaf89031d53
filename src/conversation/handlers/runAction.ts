/** Buttons: the action id constant says what, the value says which. */
import { ValidationError } from '../../domain/errors';
import type { Person } from '../../domain/types';
import { suspendUseCase } from '../../domain/usecases/suspendUseCase';
import {
  ADVANCE_ACTION_ID,
  APPROVE_ACTION_ID,
  INCIDENT_STATUS_ACTION_ID,
  KILL_SWITCH_ACTION_ID,
  OPEN_ART73_FORM_ACTION_ID,
  OPEN_INCIDENT_ACTION_ID,
  OPEN_INTAKE_ACTION_ID,
  OPEN_REJECT_FORM_ACTION_ID,
  OPEN_REVIEW_DONE_ACTION_ID,
  PAGE_ACTION_ID,
  OPEN_EVIDENCE_FORM_ACTION_ID,
  OPEN_FRIA_FORM_ACTION_ID,
  OPEN_LINK_ACTION_ID,
  OPEN_UPDATE_FORM_ACTION_ID,
  RESUME_ACTION_ID,
  RACI_ACTION_ID,
  REJECT_ACTION_ID,
  SHOW_APPROVAL_ACTION_ID,
  SHOW_INCIDENT_ACTION_ID,
  SHOW_MODEL_ACTION_ID,
  SHOW_USE_CASE_ACTION_ID,
  SUSPEND_ACTION_ID,
  WHO_APPROVES_ACTION_ID,
} from '../actions';
import { rejectFormCard } from '../cards/forms/smallForms';
import { friaFormReply } from './commands/evidence';
import { pageTargetSchema } from '../cards/model';
import { listFilterFromString } from '../cards/useCaseList';
import { pendingApprovals, showApproval, vote } from './commands/approvals';
import { incidentForm, killSwitch, listIncidentsReply, showIncident } from './commands/incidents';
import { incidentStatusAction, openArt73Form } from './commands/incidentLifecycle';
import { peopleReply } from './commands/people';
import { listModelsReply, showModel } from './commands/registry';
import { listReviewsReply, reviewDoneForm } from './commands/reviews';
import { evidenceFormReply, resumeReply, updateFormReply } from './commands/useCaseMaintenance';
import { advanceReply, listUseCasesReply, proposeReply, raciReply, showUseCase, whoApprovesReply } from './commands/useCases';
import type { HandlerDeps } from './deps';
import type { Reply } from './types';

const KEY = /^(UC|APR|INC)-\d+$/i;

function keyValue(value: string, what: string): string {
  const v = value.trim().toUpperCase();
  if (!KEY.test(v)) throw new ValidationError('action.bad_value', `This button carried no valid ${what}; refresh the card and try again.`);
  return v;
}

async function page(deps: HandlerDeps, actor: Person, value: string): Promise<Reply> {
  let target;
  try {
    target = pageTargetSchema.parse(JSON.parse(value));
  } catch {
    throw new ValidationError('action.bad_page', 'This page button is out of date; run the list command again.');
  }
  switch (target.list) {
    case 'usecases':
      return listUseCasesReply(deps, actor, listFilterFromString(target.filter), target.page);
    case 'approvals':
      return pendingApprovals(deps, actor, target.page);
    case 'incidents':
      return listIncidentsReply(deps, target.filter === 'open', target.page);
    case 'models':
      return listModelsReply(deps, target.page);
    case 'reviews':
      return listReviewsReply(deps, target.filter === 'overdue', target.page);
    case 'people':
      return peopleReply(deps, target.filter, target.page);
  }
}

export async function runAction(deps: HandlerDeps, actor: Person, actionId: string, value: string): Promise<Reply> {
  switch (actionId) {
    case APPROVE_ACTION_ID:
      return vote(deps, actor, keyValue(value, 'approval'), 'approve');
    case REJECT_ACTION_ID:
    case OPEN_REJECT_FORM_ACTION_ID:
      return { cards: [], form: rejectFormCard(keyValue(value, 'approval')) };
    case PAGE_ACTION_ID:
      return page(deps, actor, value);
    case SHOW_USE_CASE_ACTION_ID:
      return showUseCase(deps, actor, keyValue(value, 'use case'));
    case ADVANCE_ACTION_ID:
      return advanceReply(deps, actor, keyValue(value, 'use case'));
    case WHO_APPROVES_ACTION_ID:
      return whoApprovesReply(deps, actor, keyValue(value, 'use case'));
    case RACI_ACTION_ID:
      return raciReply(deps, actor, keyValue(value, 'use case'));
    case SUSPEND_ACTION_ID: {
      const key = keyValue(value, 'use case');
      await suspendUseCase(deps.ctx, { actorId: actor.id, key, reason: `Suspended from chat by ${actor.name}` });
      return showUseCase(deps, actor, key);
    }
    case SHOW_APPROVAL_ACTION_ID:
      return showApproval(deps, actor, keyValue(value, 'approval'));
    case SHOW_INCIDENT_ACTION_ID:
      return showIncident(deps, keyValue(value, 'incident'), actor);
    case SHOW_MODEL_ACTION_ID:
      return showModel(deps, value);
    case KILL_SWITCH_ACTION_ID:
      return killSwitch(deps, actor, keyValue(value, 'incident'));
    case INCIDENT_STATUS_ACTION_ID:
      return incidentStatusAction(deps, actor, value);
    case OPEN_ART73_FORM_ACTION_ID:
      return openArt73Form(deps, keyValue(value, 'incident'));
    case OPEN_INTAKE_ACTION_ID:
      return proposeReply(deps);
    case OPEN_INCIDENT_ACTION_ID:
      return incidentForm(deps, KEY.test(value.trim()) ? value.trim().toUpperCase() : undefined);
    case OPEN_REVIEW_DONE_ACTION_ID:
      return reviewDoneForm(deps, keyValue(value, 'use case'));
    case RESUME_ACTION_ID:
      return resumeReply(deps, actor, keyValue(value, 'use case'));
    case OPEN_UPDATE_FORM_ACTION_ID:
      return updateFormReply(deps, keyValue(value, 'use case'));
    case OPEN_EVIDENCE_FORM_ACTION_ID:
      return evidenceFormReply(deps, keyValue(value, 'use case'));
    case OPEN_FRIA_FORM_ACTION_ID:
      return friaFormReply(deps, actor, keyValue(value, 'use case'));
    case OPEN_LINK_ACTION_ID:
      // The browser opened the link; there is nothing to answer.
      return { cards: [] };
    default:
      throw new ValidationError('action.unknown', 'That button is not one Steward knows (an old message?). Type help to start again.');
  }
}
