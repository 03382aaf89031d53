/**
 * Who may do what in the console, once auth.ts has named the session. Kept apart from the
 * router so the rules read in one place:
 *   open     (development, no token)  look at and act as anyone
 *   reader   (shared token)           look at anything, act as nobody
 *   person   (personal token)         look at the shared pages and their own inbox, act only as themselves
 */
import type { Person } from '../../domain/types';
import type { ConsoleSession } from './auth';

/** The session, with the person a personal token names (looked up by email). */
export type Viewer = { kind: 'open' } | { kind: 'reader' } | { kind: 'person'; person: Person };

export interface Refusal {
  status: 401 | 403;
  code: string;
  message: string;
}

export const READ_ONLY: Refusal = { status: 403, code: 'console.read_only', message: 'read-only: sign in with a personal token' };

export const notYou = (person: Person): Refusal => ({
  status: 403,
  code: 'console.not_you',
  message: `you are signed in as ${person.name}`,
});

export const unknownEmail = (email: string): Refusal => ({
  status: 403,
  code: 'console.unknown_person',
  message: `your console token is for ${email}, but nobody with that email is registered`,
});

/** Resolves a session to a viewer; a personal token whose email nobody has is refused. */
export async function viewerFor(
  session: ConsoleSession,
  findByEmail: (email: string) => Promise<Person | null>,
): Promise<Viewer | Refusal> {
  if (session.kind !== 'person') return session;
  const person = await findByEmail(session.email);
  return person ? { kind: 'person', person } : unknownEmail(session.email);
}

export const isRefusal = (v: Viewer | Refusal): v is Refusal => 'status' in v;

/** Null when the viewer may act (command, button, form) as `personId`; otherwise why not. */
export function actRefusal(viewer: Viewer, personId: string): Refusal | null {
  if (viewer.kind === 'reader') return READ_ONLY;
  if (viewer.kind === 'person' && viewer.person.id !== personId) return notYou(viewer.person);
  return null;
}

/** Null when the viewer may see `personId`'s chat page and inbox; a reader may look at anyone's. */
export function viewRefusal(viewer: Viewer, personId: string): Refusal | null {
  return viewer.kind === 'person' && viewer.person.id !== personId ? notYou(viewer.person) : null;
}

/** The people the picker offers: a signed-in person sees only themselves. */
export const pickable = (viewer: Viewer, everyone: readonly Person[]): readonly Person[] =>
  viewer.kind === 'person' ? [viewer.person] : everyone;
