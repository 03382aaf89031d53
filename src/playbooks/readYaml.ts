/**
 * Reads one YAML file into plain data, keeping the parsed document so later problems can be
 * pointed at a line. Syntax errors become problems with line and column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { PathSegment, PlaybookProblem } from './errors';

export interface YamlFile {
  file: string;
  data: unknown;
  /** The 1-based line of the value at `path`, or of its nearest existing parent. */
  lineOf(path: readonly PathSegment[]): number | undefined;
}

export type ReadResult = { ok: true; value: YamlFile } | { ok: false; problems: PlaybookProblem[] };

export function readYaml(absPath: string, file: string): ReadResult {
  if (!existsSync(absPath)) return { ok: false, problems: [{ file, path: [], message: 'file not found' }] };
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(readFileSync(absPath, 'utf8'), { lineCounter, prettyErrors: true });
  // Only the first syntax error: the parser's later errors are mostly knock-on effects of it.
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const text = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return {
      ok: false,
      problems: [{ file, path: [], message: `YAML syntax error: ${text}`, ...(pos ? { line: pos.line } : {}) }],
    };
  }
  const lineOf = (path: readonly PathSegment[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { ok: true, value: { file, data: doc.toJS(), lineOf } };
}
