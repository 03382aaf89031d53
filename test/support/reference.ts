/**
 * Where the official reference data for tests lives: the copy vendored into this repository
 * (test/fixtures/reference, so a lone clone passes its own tests), or STEWARD_REFERENCE_ROOT
 * when set. The workspace's `../shared/reference` (the upstream) is only compared against the
 * vendored copy, in test/reference.sync.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const VENDORED_REFERENCE_ROOT = path.resolve(__dirname, '../fixtures/reference');
export const UPSTREAM_REFERENCE_ROOT = path.resolve(__dirname, '../../../shared/reference');
export const REFERENCE_ROOT = process.env.STEWARD_REFERENCE_ROOT ?? VENDORED_REFERENCE_ROOT;

export function referencePath(...parts: string[]): string {
  const p = path.join(REFERENCE_ROOT, ...parts);
  if (!existsSync(p)) throw new Error(`reference data not found at ${p} (set STEWARD_REFERENCE_ROOT)`);
  return p;
}

export const readReferenceJson = <T = any>(...parts: string[]): T => JSON.parse(readFileSync(referencePath(...parts), 'utf8')) as T;
