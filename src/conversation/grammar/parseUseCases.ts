/**
 * Use case maintenance words: suspend, resume, retire, evidence, update, search, and the
 * RACI change form of `raci`. Each builds a candidate for `commandSchema`, which has the
 * last word on ids, reasons and links.
 */
import { RACI_PARTS } from '../../domain/raci/reassignRaci';
import { areaFrom, emailFrom, keyFrom, slackUserFrom } from './aliases';
import type { AreaChoice } from './aliases';
import { catalogueEntry } from './catalogue';
import type { CommandName } from './schema';
import { failure, join, noMoreThan, type Step } from './steps';

const useCaseKeyOf = (words: readonly string[]): string | undefined => keyFrom('UC', words[1]) ?? words[1];

/** `<verb> UC-n <reason…>`: suspend and retire need the reason, resume takes one if given. */
export function parseKeyAndReason(words: string[], name: 'suspend' | 'resume' | 'retire'): Step {
  const reason = join(words, 2);
  return { name, useCaseKey: useCaseKeyOf(words), ...(reason ? { reason } : {}) };
}

/**
 * The link and what follows it. Slack sends links in messages as <https://x> or
 * <https://x|a label with spaces>: the link is inside, the label is dropped.
 */
export function linkAndRest(text: string): { link: string; rest: string } {
  const m = /^<(https?:[^|>\s]+)(?:\|[^>]*)?>\s*(.*)$/i.exec(text);
  if (m) return { link: m[1]!, rest: m[2]!.trim() };
  const [link = '', ...rest] = text.split(' ');
  return { link, rest: rest.join(' ').trim() };
}

/** evidence UC-n <control-id> <link> [note…] */
export function parseEvidence(words: string[]): Step {
  if (words.length < 4) return failure(`Give the control and the link: ${catalogueEntry('evidence').usage}.`, 'evidence');
  const { link, rest: note } = linkAndRest(join(words, 3));
  return {
    name: 'evidence',
    useCaseKey: useCaseKeyOf(words),
    controlId: words[2]!.toUpperCase(),
    evidenceUrl: link,
    ...(note ? { note } : {}),
  };
}

/** update UC-n: opens the intake form filled in with what is stored. */
export function parseUpdate(words: string[]): Step {
  return noMoreThan(words, 2, 'update') ?? { name: 'update', useCaseKey: useCaseKeyOf(words) };
}

/** search <words…>: the words as one phrase, matched in titles and descriptions. */
export function parseSearch(words: string[]): Step {
  const text = join(words, 1);
  if (!text) return failure('Say what to look for, e.g. search claims.', 'search');
  return { name: 'search', text };
}

const isRaciPart = (word: string | undefined): boolean => !!word && (RACI_PARTS as readonly string[]).includes(word.toLowerCase());

/**
 * "ada@example.com, Grace Hopper" or "<@U1> <@U2>": comma-separated people; a piece made only
 * of emails and mentions may also be separated by spaces, while a name keeps its spaces.
 */
export function peopleFrom(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const words = piece.split(' ');
    if (words.length > 1 && words.every((w) => emailFrom(w) || slackUserFrom(w))) out.push(...words);
    else out.push(piece);
  }
  return out.map((p) => emailFrom(p) ?? p);
}

/**
 * raci UC-n <area> <responsible|accountable|consulted|informed> <person>[, <person>…]. The first
 * part word splits the area from the people. Without one this is not a change: undefined, and
 * `raci UC-n [area]` (show) reads the words instead.
 */
export function parseRaciChange(words: string[], options: { raciAreas?: readonly AreaChoice[] }): Step | undefined {
  const at = words.findIndex((w, i) => i >= 2 && isRaciPart(w));
  if (at < 0) return undefined;
  const name: CommandName = 'raci_assign';
  const part = words[at]!.toLowerCase();
  if (at === 2) return failure(`Name the area before ${part}.`, name);
  const areaText = words.slice(2, at).join(' ');
  const area = areaFrom(areaText, options.raciAreas);
  if (!area) {
    const known = options.raciAreas?.map((a) => a.id).join(', ');
    return failure(`Unknown area "${areaText}"${known ? `; areas: ${known}` : ''}.`, name);
  }
  const rest = join(words, at + 1);
  if (!rest) return failure(`Name who is ${part}: an email, a name or a Slack mention, several separated by commas (or none).`, name);
  const people = rest.toLowerCase() === 'none' ? [] : peopleFrom(rest);
  return { name, useCaseKey: useCaseKeyOf(words), area, part, people };
}
