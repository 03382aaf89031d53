/**
 * The contract between the channels (Slack, Teams, console) and the conversation. A channel
 * turns its own payload into an Interaction by a known Person, calls `Conversation.handle`,
 * and renders the Reply with its renderer. Nothing here knows which channel asked.
 */
import type { Person } from '../../domain/types';
import type { Card } from '../cards/model';

export type Interaction =
  /** A command line: Slack `/steward <text>`, a Teams message without the @mention, console text box. */
  | { kind: 'command'; text: string }
  /** A button: the action id constant and the button's value (see actions.ts encodeValue). */
  | { kind: 'action'; actionId: string; value: string }
  /** A submitted form: its id, the input values by input id, and the form's hidden values. */
  | { kind: 'form'; formId: string; values: Record<string, unknown>; hidden: Record<string, string> };

export interface Reply {
  /** Cards for the person who acted (Slack: response/ephemeral; Teams: reply; console: transcript). */
  cards: Card[];
  /** A form to open (Slack: modal via trigger_id; Teams: a card with inputs; console: inline form). */
  form?: Card;
  /** The card the button was on, re-rendered after the action (e.g. a decided approval, no buttons). */
  updated?: Card;
  /** Per-input errors for a form submission; the form stays open and nothing was written. */
  formErrors?: Record<string, string>;
}

export interface Conversation {
  /**
   * Runs one interaction for a known person. Never throws for user mistakes or domain refusals:
   * those come back as a short card. Unexpected failures are logged by the caller's error path
   * and shown as a generic apology (no stack traces).
   */
  handle(actor: Person, interaction: Interaction): Promise<Reply>;
}
