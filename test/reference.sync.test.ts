/**
 * The vendored reference data (test/fixtures/reference) must equal the workspace's upstream
 * copy file for file, whenever an upstream exists beside the repository (or at
 * STEWARD_REFERENCE_ROOT). In a lone clone there is no upstream and only the vendored copy's
 * own completeness is checked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UPSTREAM_REFERENCE_ROOT, VENDORED_REFERENCE_ROOT } from './support/reference';

const upstream = process.env.STEWARD_REFERENCE_ROOT ?? UPSTREAM_REFERENCE_ROOT;
const DIRS = ['frameworks', 'schemas'];
const filesIn = (root: string) => DIRS.flatMap((d) => readdirSync(path.join(root, d)).map((f) => path.join(d, f))).sort();

describe('vendored reference data', () => {
  it('holds every framework file and schema the tests read, with their licences', () => {
    const files = filesIn(VENDORED_REFERENCE_ROOT);
    for (const f of [
      'frameworks/eu-ai-act.json',
      'frameworks/iso-iec-42001-2023-annex-a.json',
      'frameworks/nist-ai-600-1-gai-risks.json',
      'frameworks/nist-ai-rmf-1.0.json',
      'frameworks/nist-ai-rmf-1.0.meta.json',
      'frameworks/owasp-llm-2025.json',
      'schemas/adaptive-card-1.5.0.schema.json',
      'schemas/adaptive-cards.LICENSE',
      'schemas/slack-manifest-schema.LICENSE',
      'schemas/slack-manifest.schema.1.0.0.json',
    ]) expect(files).toContain(f);
    for (const f of files.filter((x) => x.endsWith('.json'))) {
      expect(() => JSON.parse(readFileSync(path.join(VENDORED_REFERENCE_ROOT, f), 'utf8'))).not.toThrow();
    }
  });

  const haveUpstream = existsSync(upstream) && path.resolve(upstream) !== VENDORED_REFERENCE_ROOT;
  if (!haveUpstream) {
    it('has no upstream copy beside this checkout to compare with (a lone clone): the vendored copy stands alone', () => {
      expect(existsSync(path.join(upstream, 'frameworks'))).toBe(false);
    });
    return;
  }
  it(`equals the upstream copy at ${upstream} byte for byte`, () => {
    const theirs = filesIn(upstream);
    expect(filesIn(VENDORED_REFERENCE_ROOT)).toEqual(theirs);
    const drifted = theirs.filter((f) => !readFileSync(path.join(upstream, f)).equals(readFileSync(path.join(VENDORED_REFERENCE_ROOT, f))));
    expect(drifted).toEqual([]); // refresh with: bash scripts/refresh-reference.sh
  });
});
