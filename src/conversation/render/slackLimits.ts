/** Slack Block Kit limits the renderers respect by construction (api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  optionGroups: 100,
  checkboxOptions: 10,
  plainTextInputMax: 3000,
  callbackId: 255,
} as const;

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export const escapeMrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Slack wants action ids unique within a block, but two buttons may share a neutral action id
 * (Previous / Next both page). The second one gets "~2"; handlers match with actionIdPattern.
 */
export const SLACK_ACTION_SUFFIX = '~';
export const baseActionId = (slackActionId: string): string => slackActionId.split(SLACK_ACTION_SUFFIX)[0]!;
export const actionIdPattern = (actionId: string): RegExp => new RegExp(`^${actionId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:${SLACK_ACTION_SUFFIX}\\d+)?$`);
