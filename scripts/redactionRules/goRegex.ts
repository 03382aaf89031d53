/**
 * Translates a Go (RE2) regular expression into a JavaScript one with the same meaning for
 * the constructs gitleaks uses. JavaScript (Node 20) has no scoped flags, so `(?i)` part-way
 * through, `(?i:…)`, `(?-i:…)` and `(?s:…)` are rewritten: case-insensitive letters become
 * [aA] classes and `.` under `s` becomes [\s\S]. Throws on what it cannot translate.
 */

export interface JsRegex {
  source: string;
  flags: string;
}

const POSIX: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  xdigit: '0-9A-Fa-f',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

interface State {
  ci: boolean;
  dotall: boolean;
}

const isLetter = (c: string) => /^[A-Za-z]$/.test(c);
const other = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

/** Applies a flag string such as `i`, `-i`, `is`, `i-s` to a state. */
function applyFlags(state: State, flags: string): State {
  const next = { ...state };
  let on = true;
  for (const f of flags) {
    if (f === '-') on = false;
    else if (f === 'i') next.ci = on;
    else if (f === 's') next.dotall = on;
    else if (f === 'm' || f === 'U') throw new Error(`flag ${f} is not supported`);
    else throw new Error(`unknown flag ${f}`);
  }
  return next;
}

/** Reads one escape at `s[i]` (the backslash); returns the JS text and the index after it. */
function readEscape(s: string, i: number): [string, number] {
  const c = s[i + 1];
  if (c === undefined) throw new Error('trailing backslash');
  if (c === 'z') return ['$', i + 2];
  if (c === 'A') return ['^', i + 2];
  if (c === 'Q' || c === 'C') throw new Error(`\\${c} is not supported`);
  if (c === 'p' || c === 'P') throw new Error('unicode classes are not supported');
  if (c === 'x') {
    if (s[i + 2] === '{') {
      const end = s.indexOf('}', i);
      const hex = s.slice(i + 3, end);
      if (hex.length > 4) throw new Error('\\x{…} beyond the BMP');
      return [`\\u${hex.padStart(4, '0')}`, end + 1];
    }
    return [s.slice(i, i + 4), i + 4];
  }
  return [s.slice(i, i + 2), i + 2];
}

/** A character class starting at `s[i]` ('['); adds the other case of letters when `ci`. */
function readClass(s: string, i: number, ci: boolean): [string, number] {
  let j = i + 1;
  let out = '[';
  if (s[j] === '^') out += s[j++];
  if (s[j] === ']') out += `\\${s[j++]}`;
  const extra: string[] = [];
  while (j < s.length && s[j] !== ']') {
    const posix = /^\[:(\w+):\]/.exec(s.slice(j, j + 12));
    if (posix) {
      const expansion = POSIX[posix[1]!];
      if (!expansion) throw new Error(`POSIX class ${posix[1]} is not supported`);
      out += expansion;
      j += posix[0].length;
      continue;
    }
    if (s[j] === '\\') {
      const [esc, next] = readEscape(s, j);
      out += esc;
      j = next;
      continue;
    }
    const c = s[j]!;
    // A range a-z: add A-Z when case-insensitive (both ends letters of one case).
    if (s[j + 1] === '-' && s[j + 2] !== undefined && s[j + 2] !== ']') {
      const d = s[j + 2]!;
      out += `${c}-${d === '\\' ? '' : d}`;
      if (d === '\\') {
        const [esc, next] = readEscape(s, j + 2);
        out += esc;
        j = next;
        continue;
      }
      if (ci && isLetter(c) && isLetter(d) && (c === c.toLowerCase()) === (d === d.toLowerCase())) extra.push(`${other(c)}-${other(d)}`);
      j += 3;
      continue;
    }
    out += c === '[' ? '\\[' : c;
    if (ci && isLetter(c)) extra.push(other(c));
    j++;
  }
  if (s[j] !== ']') throw new Error('unterminated character class');
  return [`${out}${extra.join('')}]`, j + 1];
}

/** The general translation: scoped flags rewritten into the pattern itself. */
function rewrite(s: string): string {
  const stack: State[] = [{ ci: false, dotall: false }];
  const top = () => stack[stack.length - 1]!;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') {
      const [esc, next] = readEscape(s, i);
      out += esc;
      i = next;
    } else if (c === '[') {
      const [cls, next] = readClass(s, i, top().ci);
      out += cls;
      i = next;
    } else if (c === '(') {
      const flagGroup = /^\(\?([is-]+)([:)])/.exec(s.slice(i, i + 10));
      if (flagGroup) {
        const state = applyFlags(top(), flagGroup[1]!);
        if (flagGroup[2] === ')') stack[stack.length - 1] = state; // to the end of the enclosing group
        else {
          stack.push(state);
          out += '(?:';
        }
        i += flagGroup[0].length;
        continue;
      }
      const named = /^\(\?P?<(\w+)>/.exec(s.slice(i, i + 40));
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length;
      } else if (s.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (s[i + 1] === '?') throw new Error(`group ${s.slice(i, i + 4)} is not supported`);
      else {
        out += '(';
        i++;
      }
      stack.push({ ...top() });
    } else if (c === ')') {
      if (stack.length === 1) throw new Error('unbalanced )');
      stack.pop();
      out += ')';
      i++;
    } else if (c === '.' && top().dotall) {
      out += '[\\s\\S]';
      i++;
    } else if (isLetter(c) && top().ci) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function goToJs(go: string): JsRegex {
  // The common case kept readable: one leading (?i) and no other flag anywhere -> flag i.
  const rest = go.startsWith('(?i)') ? go.slice(4) : null;
  if (rest !== null && !/\(\?[is-]+[:)]/.test(rest)) return { source: rewrite(rest), flags: 'i' };
  return { source: rewrite(go), flags: '' };
}
