/**
 * Every action id, form (callback) id and block id the product uses, in one place. Channels
 * route on these constants; nothing else in the code spells them out (STYLE habit 6).
 * Slack caps action_id / block_id at 255 characters and a button value at 2000: values are
 * keys or small JSON (see `encodeValue`).
 */

// Buttons on approval cards.
export const APPROVE_ACTION_ID = 'steward.approve';
export const REJECT_ACTION_ID = 'steward.reject';
/** Opens the reject-reason form (a reason is mandatory, so rejecting always goes through it). */
export const OPEN_REJECT_FORM_ACTION_ID = 'steward.reject.open_form';

// Navigation and use case buttons.
export const PAGE_ACTION_ID = 'steward.page';
export const SHOW_USE_CASE_ACTION_ID = 'steward.usecase.show';
export const ADVANCE_ACTION_ID = 'steward.usecase.advance';
export const WHO_APPROVES_ACTION_ID = 'steward.usecase.who_approves';
export const RACI_ACTION_ID = 'steward.usecase.raci';
export const SUSPEND_ACTION_ID = 'steward.usecase.suspend';
/** Lifts the kill switch (shown instead of Suspend on a suspended use case). */
export const RESUME_ACTION_ID = 'steward.usecase.resume';
export const SHOW_APPROVAL_ACTION_ID = 'steward.approval.show';
export const SHOW_INCIDENT_ACTION_ID = 'steward.incident.show';
export const SHOW_MODEL_ACTION_ID = 'steward.model.show';
export const KILL_SWITCH_ACTION_ID = 'steward.incident.kill_switch';
/** Moves an incident to a status; value: encodeValue({ key: 'INC-n', status }). */
export const INCIDENT_STATUS_ACTION_ID = 'steward.incident.status';

// Buttons that open forms.
export const OPEN_INTAKE_ACTION_ID = 'steward.intake.open';
export const OPEN_INCIDENT_ACTION_ID = 'steward.incident.open';
export const OPEN_REVIEW_DONE_ACTION_ID = 'steward.review_done.open';
export const OPEN_UPDATE_FORM_ACTION_ID = 'steward.usecase.update.open';
export const OPEN_EVIDENCE_FORM_ACTION_ID = 'steward.usecase.evidence.open';
export const OPEN_ART73_FORM_ACTION_ID = 'steward.incident.art73.open';
export const OPEN_FRIA_FORM_ACTION_ID = 'steward.evidence.fria.open';
/** A link button (a download): Slack still reports the click, which is acknowledged and nothing more. */
export const OPEN_LINK_ACTION_ID = 'steward.link';

// Forms (Slack view callback_id, Teams Action.Execute verb, console form id).
export const INTAKE_FORM_ID = 'steward.form.intake';
export const INCIDENT_FORM_ID = 'steward.form.incident';
export const REJECT_FORM_ID = 'steward.form.reject';
export const REVIEW_DONE_FORM_ID = 'steward.form.review_done';
/** The intake form filled in with a use case's answers; hidden useCaseKey. */
export const UPDATE_FORM_ID = 'steward.form.update';
export const EVIDENCE_FORM_ID = 'steward.form.evidence';
/** Records that the EU AI Act Art. 73 report of a serious incident was submitted. */
export const ART73_FORM_ID = 'steward.form.art73_report';
export const FRIA_FORM_ID = 'steward.form.fria';
export const FORM_IDS = [INTAKE_FORM_ID, INCIDENT_FORM_ID, REJECT_FORM_ID, REVIEW_DONE_FORM_ID, ART73_FORM_ID, UPDATE_FORM_ID, EVIDENCE_FORM_ID, FRIA_FORM_ID] as const;
export type FormId = (typeof FORM_IDS)[number];

// Block ids the renderers give structural blocks (inputs use `inputBlockId(inputId)`).
export const ACTIONS_BLOCK_ID = 'steward.actions';
export const PAGINATION_BLOCK_ID = 'steward.pagination';
export const INPUT_BLOCK_PREFIX = 'steward.input.';
/** Action id of the element inside an input block (Slack reads values by block then action). */
export const INPUT_ACTION_ID = 'value';

export const inputBlockId = (inputId: string): string => `${INPUT_BLOCK_PREFIX}${inputId}`;

/** Button values: a key ("UC-3") stays a string; anything structured is compact JSON. */
export function encodeValue(value: string | Record<string, unknown>): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The inverse of `encodeValue`: JSON objects come back as objects, keys stay strings. */
export function decodeValue(value: string): string | Record<string, unknown> {
  if (!value.startsWith('{')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : value;
  } catch {
    return value;
  }
}

/**
 * The button that opens each form when a form card is shown where a form cannot be (a chat
 * message): the renderers put this button in place of the inputs.
 */
export const FORM_OPENERS: Record<FormId, string> = {
  [INTAKE_FORM_ID]: OPEN_INTAKE_ACTION_ID,
  [INCIDENT_FORM_ID]: OPEN_INCIDENT_ACTION_ID,
  [REJECT_FORM_ID]: OPEN_REJECT_FORM_ACTION_ID,
  [REVIEW_DONE_FORM_ID]: OPEN_REVIEW_DONE_ACTION_ID,
  [UPDATE_FORM_ID]: OPEN_UPDATE_FORM_ACTION_ID,
  [EVIDENCE_FORM_ID]: OPEN_EVIDENCE_FORM_ACTION_ID,
  [ART73_FORM_ID]: OPEN_ART73_FORM_ACTION_ID,
  [FRIA_FORM_ID]: OPEN_FRIA_FORM_ACTION_ID,
};
