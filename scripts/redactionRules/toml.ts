/**
 * A reader for the subset of TOML that gitleaks' generated config uses: `key = value` with
 * '''literal''', "basic" and numeric values, multi-line arrays of those, and the tables
 * [allowlist], [[rules]] and [[rules.allowlists]]. Anything else is an error, so a format
 * change upstream stops the refresh instead of silently dropping rules.
 */

export type TomlValue = string | number | boolean | TomlValue[];
export type TomlTable = Record<string, TomlValue>;

export interface GitleaksToml {
  top: TomlTable;
  allowlist: TomlTable;
  rules: Array<TomlTable & { allowlists: TomlTable[] }>;
}

/** Reads one value starting at `s[i]`; returns it and the index after it. */
function readValue(s: string, i: number, line: number): [TomlValue, number] {
  if (s.startsWith("'''", i)) {
    const end = s.indexOf("'''", i + 3);
    if (end < 0) throw new Error(`line ${line}: unterminated ''' string`);
    return [s.slice(i + 3, end), end + 3];
  }
  if (s[i] === "'") {
    const end = s.indexOf("'", i + 1);
    return [s.slice(i + 1, end), end + 1];
  }
  if (s[i] === '"') {
    let out = '';
    let j = i + 1;
    for (; j < s.length && s[j] !== '"'; j++) {
      if (s[j] === '\\') {
        const c = s[++j];
        out += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
      } else out += s[j];
    }
    if (j >= s.length) throw new Error(`line ${line}: unterminated string`);
    return [out, j + 1];
  }
  if (s[i] === '[') {
    const items: TomlValue[] = [];
    let j = i + 1;
    for (;;) {
      while (j < s.length && /[\s,]/.test(s[j]!)) j++;
      if (s[j] === '#') {
        while (j < s.length && s[j] !== '\n') j++;
        continue;
      }
      if (s[j] === ']') return [items, j + 1];
      if (j >= s.length) throw new Error(`line ${line}: unterminated array`);
      const [v, next] = readValue(s, j, line);
      items.push(v);
      j = next;
    }
  }
  const m = /^(true|false|-?\d+(?:\.\d+)?)/.exec(s.slice(i, i + 40));
  if (!m) throw new Error(`line ${line}: unsupported value ${JSON.stringify(s.slice(i, i + 20))}`);
  const raw = m[1]!;
  return [raw === 'true' ? true : raw === 'false' ? false : Number(raw), i + raw.length];
}

export function parseGitleaksToml(text: string): GitleaksToml {
  const doc: GitleaksToml = { top: {}, allowlist: {}, rules: [] };
  let table: TomlTable = doc.top;
  let i = 0;
  const lineAt = (k: number) => text.slice(0, k).split('\n').length;
  while (i < text.length) {
    // Skip blank space and comments.
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const header = /^\[\[?([\w.]+)\]\]?/.exec(text.slice(i, i + 100));
    if (header) {
      const name = header[0];
      if (name === '[allowlist]') table = doc.allowlist;
      else if (name === '[[rules]]') {
        const rule = { allowlists: [] as TomlTable[] } as TomlTable & { allowlists: TomlTable[] };
        doc.rules.push(rule);
        table = rule;
      } else if (name === '[[rules.allowlists]]') {
        const rule = doc.rules.at(-1);
        if (!rule) throw new Error(`line ${lineAt(i)}: [[rules.allowlists]] before any rule`);
        const allow: TomlTable = {};
        rule.allowlists.push(allow);
        table = allow;
      } else throw new Error(`line ${lineAt(i)}: unsupported table ${name}`);
      i += name.length;
      continue;
    }
    const kv = /^([A-Za-z][\w-]*)\s*=\s*/.exec(text.slice(i, i + 100));
    if (!kv) throw new Error(`line ${lineAt(i)}: expected key = value`);
    const [value, next] = readValue(text, i + kv[0].length, lineAt(i));
    table[kv[1]!] = value;
    i = next;
  }
  return doc;
}
