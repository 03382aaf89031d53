/**
 * The contract between the channels (Slack, Teams, console) and the conversation. A channel
 * turns its own payload into an Interaction by a known Person, calls `Conversation.handle`,
 * and renders the Reply with its renderer. Nothing here knows which channel asked.
 */
import type { Person } from '../../domain/types';
import type { Card } from '../cards/model';

export type Interaction =
  /**
   * A command line: Slack `/steward <text>`, a Teams message without the @mention, console text box.
   * `sentFrom`: the chat account the channel verified this command came from (the signed Slack
   * request's user, the authenticated Teams sender); absent from the console. It is what proves
   * `link slack` / `link teams` (a person may link only the account they write from).
   */
  | { kind: 'command'; text: string; sentFrom?: SentFrom }
  /** A button: the action id constant and the button's value (see actions.ts encodeValue). */
  | { kind: 'action'; actionId: string; value: string }
  /** A submitted form: its id, the input values by input id, and the form's hidden values. */
  | { kind: 'form'; formId: string; values: Record<string, unknown>; hidden: Record<string, string> };

export interface SentFrom {
  slackUserId?: string;
  teamsAadObjectId?: string;
}

export interface Reply {
  /** Cards for the person who acted (Slack: response/ephemeral; Teams: reply; console: transcript). */
  cards: Card[];
  /** A form to open (Slack: modal via trigger_id; Teams: a card with inputs; console: inline form). */
  form?: Card;
  /** The card the button was on, re-rendered after the action (e.g. a decided approval, no buttons). */
  updated?: Card;
  /** Per-input errors for a form submission; the form stays open and nothing was written. */
  formErrors?: Record<string, string>;
  /**
   * Set when the domain refused (nothing was written): its stable code is for logs and the API,
   * never shown on a card; a channel may answer in place of the card acted on.
   */
  refusal?: { code: string };
  /** Files to hand over (an evidence pack): Slack uploads them; Teams and the console show the card's download links. */
  files?: ReplyFile[];
}

export interface ReplyFile {
  filename: string;
  mimeType: string;
  content: Buffer;
  title: string;
}

export interface Conversation {
  /**
   * Runs one interaction for a known person. Never throws for user mistakes or domain refusals:
   * those come back as a short card. Unexpected failures are logged by the caller's error path
   * and shown as a generic apology (no stack traces).
   */
  handle(actor: Person, interaction: Interaction): Promise<Reply>;
}
