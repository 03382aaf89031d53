/**
 * A playbook problem names the file, the place inside it and what is wrong, so whoever edits
 * the YAML can fix it without reading code. All problems are collected, one line each.
 */
import { ValidationError } from '../domain/errors';

export const PLAYBOOK_INVALID = 'playbook.invalid';

export type PathSegment = string | number;

export interface PlaybookProblem {
  /** File name as shown to people, e.g. "playbooks/raci.yaml". */
  file: string;
  path: PathSegment[];
  message: string;
  line?: number;
}

/** `areas[2].accountable` from ['areas', 2, 'accountable']. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg),
    '',
  );
}

export function formatProblem(p: PlaybookProblem): string {
  const where = p.path.length ? ` ${formatPath(p.path)}:` : '';
  const line = p.line ? ` (line ${p.line})` : '';
  return `${p.file}:${where} ${p.message}${line}`;
}

export class PlaybookError extends ValidationError {
  readonly problems: string[];
  constructor(problems: PlaybookProblem[]) {
    const lines = problems.map(formatProblem);
    super(PLAYBOOK_INVALID, lines.join('\n'), { problems: lines });
    this.name = 'PlaybookError';
    this.problems = lines;
  }
}
