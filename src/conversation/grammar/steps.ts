/** The small pieces every command parser shares: a candidate, a failure, and word helpers. */
import { catalogueEntry } from './catalogue';
import type { CommandName, ParseFailure } from './schema';

/** What a command parser builds from the words; `commandSchema` has the last word on it. */
export type Candidate = { name: CommandName } & Record<string, unknown>;
export type Step = Candidate | ParseFailure;

export const failure = (message: string, suggestion?: CommandName): ParseFailure => ({
  ok: false,
  message,
  ...(suggestion ? { suggestion, usage: catalogueEntry(suggestion).usage } : {}),
});

export const join = (words: readonly string[], from: number): string => words.slice(from).join(' ').trim();

export function noMoreThan(words: readonly string[], count: number, name: CommandName): ParseFailure | undefined {
  return words.length > count ? failure(`Unexpected "${join(words, count)}" after ${catalogueEntry(name).keyword}.`, name) : undefined;
}
