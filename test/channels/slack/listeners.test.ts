/**
 * The Slack app listens for every button the neutral cards can carry. Bolt never acknowledges a
 * block_actions it has no listener for, so a button added to conversation/actions but not to
 * BUTTON_ACTION_IDS would show the person an error in Slack: this check reads the constants.
 */
import { BUTTON_ACTION_IDS } from '../../../src/channels/slack/listeners/actions';
import * as actions from '../../../src/conversation/actions';

/** Every exported `*_ACTION_ID` constant except the one inputs share (not a button). */
const buttonIds = Object.entries(actions)
  .filter(([name, value]) => name.endsWith('_ACTION_ID') && name !== 'INPUT_ACTION_ID' && typeof value === 'string')
  .map(([, value]) => value as string);

describe('Slack listeners', () => {
  it('finds the button constants (the check reads the right module)', () => {
    expect(buttonIds).toContain(actions.APPROVE_ACTION_ID);
    expect(buttonIds.length).toBeGreaterThan(10);
  });

  it('registers a block_actions listener for every button id in conversation/actions, and only those', () => {
    expect([...BUTTON_ACTION_IDS].sort()).toEqual([...new Set(buttonIds)].sort());
  });

  it('registers the button that opens each form', () => {
    for (const formId of actions.FORM_IDS) expect(BUTTON_ACTION_IDS).toContain(actions.FORM_OPENERS[formId]);
  });
});
