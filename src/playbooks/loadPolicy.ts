/**
 * Loads the playbooks (YAML) from a directory into the typed Policy the domain reads.
 * Every file is parsed and validated, then checked against the others; all problems are
 * reported together in one PlaybookError, one line each, naming file, path and problem.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Policy, RegulationPolicy } from '../domain/policy';
import { PlaybookError, type PlaybookProblem } from './errors';
import { readYaml, type YamlFile } from './readYaml';
import { crossCheck, type FileKey, type ParsedFiles } from './crossChecks';
import { cadencesFileSchema, lifecycleFileSchema, raciFileSchema, rolesFileSchema } from './organisationSchemas';
import { controlsFileSchema, incidentsFileSchema, regulationFileSchema, riskFileSchema } from './complianceSchemas';
import { describeIssue } from './describeIssue';

const FILES: { [K in FileKey]-?: { name: string; schema: z.ZodType<NonNullable<ParsedFiles[K]>, unknown>; optional?: boolean } } = {
  roles: { name: 'roles.yaml', schema: rolesFileSchema },
  raci: { name: 'raci.yaml', schema: raciFileSchema },
  lifecycle: { name: 'lifecycle.yaml', schema: lifecycleFileSchema },
  risk: { name: 'risk.yaml', schema: riskFileSchema },
  controls: { name: 'controls.yaml', schema: controlsFileSchema },
  cadences: { name: 'cadences.yaml', schema: cadencesFileSchema },
  incidents: { name: 'incidents.yaml', schema: incidentsFileSchema },
  // Optional: a policy without it simply has no application-date settings.
  regulation: { name: 'regulation.yaml', schema: regulationFileSchema, optional: true },
};

/** The repository's playbooks/ folder, found from this file (works from src/ and dist/). */
export function defaultPlaybooksDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return path.resolve('playbooks');
    dir = up;
  }
  return path.join(dir, 'playbooks');
}

/** How a file is named in messages: relative to the working directory when inside it. */
function displayName(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

function validate<K extends FileKey>(key: K, file: YamlFile, problems: PlaybookProblem[]): ParsedFiles[K] | undefined {
  const result = FILES[key].schema.safeParse(file.data ?? {}, { reportInput: true });
  if (result.success) return result.data as ParsedFiles[K];
  for (const issue of result.error.issues) {
    const p = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    problems.push({ file: file.file, path: p, message: describeIssue(issue), line: file.lineOf(p) });
  }
  return undefined;
}

export interface LoadPolicyOptions {
  /**
   * Overrides regulation.yaml's `datesInForce` (the EU_AI_ACT_DATES variable), so a deployment
   * can switch date sets without editing the playbook. Needs regulation.yaml to be present.
   */
  datesInForce?: RegulationPolicy['datesInForce'];
}

export function loadPolicy(dir?: string, options: LoadPolicyOptions = {}): Policy {
  const root = path.resolve(dir ?? defaultPlaybooksDir());
  const problems: PlaybookProblem[] = [];
  const yaml: Partial<Record<FileKey, YamlFile>> = {};
  const parsed: ParsedFiles = {};

  for (const key of Object.keys(FILES) as FileKey[]) {
    const spec = FILES[key];
    const abs = path.join(root, spec.name);
    if (spec.optional && !existsSync(abs)) continue;
    const read = readYaml(abs, displayName(abs));
    if (!read.ok) {
      problems.push(...read.problems);
      continue;
    }
    yaml[key] = read.value;
    (parsed as Record<FileKey, unknown>)[key] = validate(key, read.value, problems);
  }

  for (const c of crossCheck(parsed)) {
    const file = yaml[c.key]!;
    problems.push({ file: file.file, path: c.path, message: c.message, line: file.lineOf(c.path) });
  }
  if (options.datesInForce) {
    if (parsed.regulation) parsed.regulation = { ...parsed.regulation, datesInForce: options.datesInForce };
    else if (!yaml.regulation) {
      // A setting with nothing to apply to would silently do nothing: say so instead.
      problems.push({
        file: displayName(path.join(root, FILES.regulation.name)),
        path: [],
        message: `missing, but EU_AI_ACT_DATES=${options.datesInForce} asks for its dates; add the file or unset the variable`,
      });
    }
  }
  if (problems.length) throw new PlaybookError(problems);
  const policy = toPolicy(parsed as Required<Omit<ParsedFiles, 'regulation'>> & Pick<ParsedFiles, 'regulation'>);
  // Each tier decision records the risk.yaml it was made with, so a later change of the
  // questionnaire is visible against every decision taken before it.
  const riskVersion = `sha256:${createHash('sha256').update(readFileSync(path.join(root, FILES.risk.name))).digest('hex')}`;
  return { ...policy, risk: { ...policy.risk, version: riskVersion } };
}

function toPolicy(f: Required<Omit<ParsedFiles, 'regulation'>> & Pick<ParsedFiles, 'regulation'>): Policy {
  return {
    roles: f.roles.roles,
    raci: f.raci.areas,
    lifecycle: f.lifecycle,
    risk: f.risk,
    controls: f.controls.controls,
    cadences: f.cadences.cadences,
    incidents: f.incidents,
    ...(f.regulation ? { regulation: f.regulation } : {}),
  };
}

let cached: Policy | undefined;

/** The repository's playbooks, loaded once per process. */
export function defaultPolicy(): Policy {
  cached ??= loadPolicy();
  return cached;
}
