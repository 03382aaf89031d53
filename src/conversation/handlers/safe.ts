/**
 * What every channel adapter does around `Conversation.handle`, with nothing of any transport:
 * run an interaction without ever throwing, find the keys an interaction is about (so a decided
 * approval can be edited wherever it was posted), and tell an unknown person how to get in.
 */
import { REGISTER_HINT } from '../../domain/people/actor';
import type { Person } from '../../domain/types';
import type { Card } from '../cards/model';
import type { Conversation, Interaction, Reply } from './types';

export const APOLOGY: Card = {
  title: 'Something went wrong on our side',
  // Never "nothing was changed": a failure after the write is indistinguishable from one before.
  text: 'The result could not be confirmed. If you were changing something, it may have been saved: check it before trying again. The problem was logged.',
  badge: { label: 'error', tone: 'danger' },
};

/** The part of a logger handleSafely needs (pino's Logger fits). */
export interface ErrorLog {
  error(obj: object, msg: string): void;
  /** Where refusals are logged with their code (cards show people only the sentence). */
  info?(obj: object, msg: string): void;
}

/**
 * createConversation already turns domain refusals into cards and unexpected errors into an
 * apology, so this catch is the last guard: a Conversation that throws anyway (a bug in the
 * error path itself) still leaves the person an apology, never a silent failure.
 */
export async function handleSafely(deps: { conversation: Conversation; logger: ErrorLog }, actor: Person, interaction: Interaction): Promise<Reply> {
  try {
    const reply = await deps.conversation.handle(actor, interaction);
    if (reply.refusal) deps.logger.info?.({ code: reply.refusal.code, kind: interaction.kind, personId: actor.id }, 'interaction refused');
    return reply;
  } catch (e) {
    deps.logger.error({ err: e, kind: interaction.kind }, 'interaction failed');
    return { cards: [APOLOGY] };
  }
}

const KEY = /\b(?:APR|INC|UC)-\d+\b/gi;

/** The keys (APR-3, INC-7, UC-1) found in texts, upper-cased, once each. */
export function keysIn(...texts: Array<string | undefined>): string[] {
  const found = new Set<string>();
  for (const t of texts) for (const m of t?.match(KEY) ?? []) found.add(m.toUpperCase());
  return [...found];
}

/**
 * The approvals an interaction decides on (in a button value, a form's hidden values or a typed
 * command): only approval messages are edited in place when a reply carries `updated`.
 */
export function approvalKeysOf(i: Interaction): string[] {
  const texts = i.kind === 'command' ? [i.text] : i.kind === 'action' ? [i.value] : Object.values(i.hidden);
  return keysIn(...texts).filter((k) => k.startsWith('APR-'));
}

/**
 * What a channel says to someone it cannot map to a registered person. The registration steps
 * are the domain's REGISTER_HINT, so every channel names the same, current commands; `account`
 * says which email the channel matches on ("Slack profile", "Microsoft 365 account").
 */
export const unknownUserText = (account: string): string =>
  `I don't know you yet, so I did nothing. ${REGISTER_HINT} Steward matches you by the email address of your ${account}.`;
