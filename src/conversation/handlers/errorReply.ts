import { isDomainError } from '../../domain/errors';
import { errorCard } from '../cards/help';
import type { Reply } from './types';
import { uncertainOutcomeText } from './uncertainOutcome';

const TITLES: Record<string, string> = {
  validation: 'That did not look right',
  not_found: 'Not found',
  forbidden: 'Not allowed',
  conflict: 'Could not do that',
  unavailable: 'Try again in a moment',
};

/**
 * A refusal or a mistake becomes one short card; anything unexpected becomes an apology
 * without internals (the caller logs the error with its stack).
 */
export function errorReply(err: unknown, onUnexpected?: (err: unknown) => void, about: string[] = []): Reply {
  if (isDomainError(err)) {
    // People read a sentence; the code stays in the reply for logs and the API.
    const card = errorCard(err.message);
    card.title = TITLES[err.kind] ?? card.title;
    return { cards: [card], refusal: { code: err.code } };
  }
  onUnexpected?.(err);
  // Unexpected means the outcome is unknown (the database may have gone away after the write).
  return { cards: [errorCard(uncertainOutcomeText(...about))] };
}
