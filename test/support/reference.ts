/**
 * Where the official reference data lives: `../shared/reference` beside the repository (as on
 * developer machines and in CI), or STEWARD_REFERENCE_ROOT. Tests check the product against it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REFERENCE_ROOT = process.env.STEWARD_REFERENCE_ROOT ?? path.resolve(__dirname, '../../../shared/reference');

export function referencePath(...parts: string[]): string {
  const p = path.join(REFERENCE_ROOT, ...parts);
  if (!existsSync(p)) throw new Error(`reference data not found at ${p} (set STEWARD_REFERENCE_ROOT)`);
  return p;
}

export const readReferenceJson = <T = any>(...parts: string[]): T => JSON.parse(readFileSync(referencePath(...parts), 'utf8')) as T;
