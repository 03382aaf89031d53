import type { App } from '@slack/bolt';
import {
  ADVANCE_ACTION_ID,
  APPROVE_ACTION_ID,
  INCIDENT_STATUS_ACTION_ID,
  KILL_SWITCH_ACTION_ID,
  OPEN_ART73_FORM_ACTION_ID,
  OPEN_EVIDENCE_FORM_ACTION_ID,
  OPEN_FRIA_FORM_ACTION_ID,
  OPEN_INCIDENT_ACTION_ID,
  OPEN_LINK_ACTION_ID,
  OPEN_INTAKE_ACTION_ID,
  OPEN_REJECT_FORM_ACTION_ID,
  OPEN_REVIEW_DONE_ACTION_ID,
  OPEN_UPDATE_FORM_ACTION_ID,
  PAGE_ACTION_ID,
  RACI_ACTION_ID,
  REJECT_ACTION_ID,
  RESUME_ACTION_ID,
  SHOW_APPROVAL_ACTION_ID,
  SHOW_INCIDENT_ACTION_ID,
  SHOW_MODEL_ACTION_ID,
  SHOW_USE_CASE_ACTION_ID,
  SUSPEND_ACTION_ID,
  WHO_APPROVES_ACTION_ID,
} from '../../../../conversation/actions';
import { actionIdPattern } from '../../../../conversation/render/slackLimits';
import type { SlackDeps } from '../../deps';
import { buttonAction } from './button';

/**
 * Every button the cards carry; all go through the conversation the same way. A button missing
 * here is never acknowledged (Slack shows the person an error): test/channels/slack/listeners.test.ts
 * checks this list against every button id in conversation/actions.
 */
export const BUTTON_ACTION_IDS = [
  APPROVE_ACTION_ID,
  REJECT_ACTION_ID,
  OPEN_REJECT_FORM_ACTION_ID,
  PAGE_ACTION_ID,
  SHOW_USE_CASE_ACTION_ID,
  ADVANCE_ACTION_ID,
  WHO_APPROVES_ACTION_ID,
  RACI_ACTION_ID,
  SUSPEND_ACTION_ID,
  RESUME_ACTION_ID,
  SHOW_APPROVAL_ACTION_ID,
  SHOW_INCIDENT_ACTION_ID,
  SHOW_MODEL_ACTION_ID,
  KILL_SWITCH_ACTION_ID,
  INCIDENT_STATUS_ACTION_ID,
  OPEN_INTAKE_ACTION_ID,
  OPEN_INCIDENT_ACTION_ID,
  OPEN_REVIEW_DONE_ACTION_ID,
  OPEN_UPDATE_FORM_ACTION_ID,
  OPEN_EVIDENCE_FORM_ACTION_ID,
  OPEN_ART73_FORM_ACTION_ID,
  OPEN_FRIA_FORM_ACTION_ID,
  OPEN_LINK_ACTION_ID,
] as const;

export function registerActions(app: App, deps: SlackDeps): void {
  const handler = buttonAction(deps);
  // The renderer suffixes repeated ids within one actions block (`steward.page~2`): match those too.
  for (const actionId of BUTTON_ACTION_IDS) app.action({ type: 'block_actions', action_id: actionIdPattern(actionId) }, handler);
}
