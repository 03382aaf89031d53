/** The help card (all commands or one) and the cards for refusals and parse failures. */
import { OPEN_INCIDENT_ACTION_ID, OPEN_INTAKE_ACTION_ID, OPEN_REJECT_FORM_ACTION_ID } from '../actions';
import { COMMAND_CATALOGUE } from '../grammar/catalogue';
import type { CommandName, ParseFailure } from '../grammar/schema';
import type { Card } from './model';

export function helpCard(topic?: CommandName): Card {
  if (topic) {
    const keyword = COMMAND_CATALOGUE.find((e) => e.name === topic)?.keyword;
    // "incident" is both the form and the one-liner: explain both.
    const entries = COMMAND_CATALOGUE.filter((e) => e.name === topic || (keyword && e.keyword === keyword));
    return {
      title: `Help: ${keyword ?? topic}`,
      fields: entries.map((e) => ({ label: e.usage, value: e.description })),
      context: 'Ids are not case-sensitive: uc-3 works as well as UC-3.',
    };
  }
  return {
    title: 'Steward commands',
    subtitle: 'Use cases, approvals, incidents, models and reviews of your LLM operating model.',
    fields: COMMAND_CATALOGUE.map((e) => ({ label: e.usage, value: e.description })),
    buttons: [
      { label: 'Propose a use case', actionId: OPEN_INTAKE_ACTION_ID, value: 'intake', style: 'primary' },
      { label: 'Report an incident', actionId: OPEN_INCIDENT_ACTION_ID, value: '' },
    ],
    context: 'Type help <command> for one command. Ids are not case-sensitive.',
  };
}

/** A refusal or failure: the message, and what to type instead when we know it. */
export function errorCard(message: string, options: { usage?: string } = {}): Card {
  return {
    title: 'That did not work',
    badge: { label: 'Error', tone: 'danger' },
    text: message,
    ...(options.usage ? { fields: [{ label: 'Usage', value: options.usage }] } : {}),
  };
}

export function parseFailureCard(failure: ParseFailure, typed?: { approvalKey?: string }): Card {
  const card = errorCard(failure.message, { usage: failure.usage });
  card.title = failure.suggestion && failure.suggestion !== 'help' ? 'Did you mean…' : 'I did not understand that';
  // `reject APR-n` without a reason: offer the form rather than only scolding.
  if (failure.suggestion === 'reject' && typed?.approvalKey) {
    card.buttons = [{ label: 'Give a reason', actionId: OPEN_REJECT_FORM_ACTION_ID, value: typed.approvalKey, style: 'danger' }];
  }
  card.context = 'Type help to see every command.';
  return card;
}
