/**
 * Seeded generators for the fuzz tests: command texts people might type (and some they should
 * not), and structural mutations of real payloads (a field removed, nulled, or of the wrong
 * type). Same seed, same requests: a failure names its seed and index and can be replayed.
 */

export type Random = () => number;

/** mulberry32. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const chance = (r: Random, p: number): boolean => r() < p;

const ODD_STRINGS = [
  '',
  ' ',
  '<!channel>',
  '<!here|here>',
  '<https://evil.example.org|click here>',
  '&amp;&lt;&gt;',
  '*bold* _it_ ~s~ `code`',
  '"; drop table people; --',
  '{"$gt": ""}',
  '../../etc/passwd',
  '\u0000\u0001\u202e',
  '🙂🚀 ünïcödé 中文 العربية',
  'jane.doe@example.com',
  'AKIAZ7QX3MPLW4TKEY2B',
  'UC-0',
  'UC-99999999999999999999',
  'INC-1',
  'APR-1',
  'sev9',
  '-1',
  'NaN',
  'null',
];

const COMMANDS = [
  'help',
  'help raci',
  'list',
  'list mine',
  'show UC-1',
  'show UC-2',
  'raci UC-1',
  'raci UC-1 ux',
  'approvals',
  'incidents',
  'incidents open',
  'incident',
  'incident UC-1 sev2',
  'advance UC-1',
  'suspend UC-1',
  'resume UC-1',
  'who approves UC-1',
  'kpis',
  'history UC-1',
  'audit verify',
  'search',
  'evidence UC-1',
  'update UC-1',
  'people',
  'roles',
  'register',
  'link slack',
  'eval run',
  'reviews overdue',
  'review done UC-1',
  'propose',
  'can use',
];

/** A command text: mostly grammar-shaped, with odd words, some over-long, some noise. */
export function commandText(r: Random): string {
  const roll = r();
  if (roll < 0.05) return 'x'.repeat(4_000 + Math.floor(r() * 20_000)); // over the limit
  if (roll < 0.1) return Array.from({ length: 1 + Math.floor(r() * 30) }, () => pick(r, ODD_STRINGS)).join(' ');
  const base = pick(r, COMMANDS);
  const extra = Array.from({ length: Math.floor(r() * 4) }, () => pick(r, ODD_STRINGS)).join(' ');
  return `${base} ${extra}`.trim();
}

export const oddString = (r: Random): string => pick(r, ODD_STRINGS);

const WRONG_VALUES: unknown[] = [null, 0, -1, 1e308, '', 'x', [], [null], {}, { id: null }, true, '\u0000'];

/** A deep copy of `value` with one field somewhere in it removed or given a wrong value. */
export function mutate(r: Random, value: unknown, protect: readonly string[] = []): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, at: Array<string | number>) => {
    if (at.length > 4 || typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const p = [...at, Array.isArray(node) ? Number(k) : k];
      if (!protect.includes(p.join('.'))) paths.push(p);
      walk(v, p);
    }
  };
  walk(copy, []);
  if (!paths.length) return copy;
  const path = pick(r, paths);
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (chance(r, 0.3) && !Array.isArray(parent)) delete parent[last];
  else parent[last] = pick(r, WRONG_VALUES);
  return copy;
}
