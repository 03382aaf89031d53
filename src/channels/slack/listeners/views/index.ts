import type { App } from '@slack/bolt';
import { FORM_IDS } from '../../../../conversation/actions';
import type { SlackDeps } from '../../deps';
import { formSubmission } from './submit';

export function registerViews(app: App, deps: SlackDeps): void {
  const handler = formSubmission(deps);
  for (const formId of FORM_IDS) app.view({ type: 'view_submission', callback_id: formId }, handler);
}
