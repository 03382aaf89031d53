/**
 * Checks that span files: every role named anywhere is defined in roles.yaml, and every
 * framework id resolves in the shipped catalogue (in the right framework where the field
 * says which). Each check sees only files that parsed, so one broken file does not bury the
 * real problems under follow-on noise.
 */
import { FRAMEWORK_NAMES, catalogue, resolveFrameworkId, type FrameworkKind } from '../catalog';
import type { PathSegment } from './errors';
import type { z } from 'zod';
import type { cadencesFileSchema, lifecycleFileSchema, raciFileSchema, rolesFileSchema } from './organisationSchemas';
import type { controlsFileSchema, incidentsFileSchema, regulationFileSchema, riskFileSchema } from './complianceSchemas';

export interface ParsedFiles {
  roles?: z.infer<typeof rolesFileSchema>;
  raci?: z.infer<typeof raciFileSchema>;
  lifecycle?: z.infer<typeof lifecycleFileSchema>;
  risk?: z.infer<typeof riskFileSchema>;
  controls?: z.infer<typeof controlsFileSchema>;
  cadences?: z.infer<typeof cadencesFileSchema>;
  incidents?: z.infer<typeof incidentsFileSchema>;
  regulation?: z.infer<typeof regulationFileSchema>;
}
export type FileKey = keyof ParsedFiles;

export interface CrossProblem {
  key: FileKey;
  path: PathSegment[];
  message: string;
}

const CONTROL_FRAMEWORK_FIELDS = {
  nistAiRmf: 'nist_ai_rmf',
  euAiAct: 'eu_ai_act',
  owaspLlm: 'owasp_llm',
  iso42001: 'iso_42001',
} as const satisfies Record<string, FrameworkKind>;

/** Why `id` does not resolve, or undefined when it does. */
function frameworkProblem(id: string, expected?: FrameworkKind): string | undefined {
  const hit = resolveFrameworkId(id);
  if (!hit) {
    const where = expected ? `${FRAMEWORK_NAMES[expected]} id` : 'framework id';
    return `unknown ${where} "${id}" (not in Steward's framework catalogue)`;
  }
  if (expected && hit.framework !== expected) {
    return `"${id}" belongs to ${FRAMEWORK_NAMES[hit.framework]}, not ${FRAMEWORK_NAMES[expected]}`;
  }
  return undefined;
}

export function crossCheck(files: ParsedFiles): CrossProblem[] {
  const out: CrossProblem[] = [];
  const roleIds = files.roles ? new Set(files.roles.roles.map((r) => r.id)) : undefined;
  const role = (key: FileKey, path: PathSegment[], id: string) => {
    if (roleIds && !roleIds.has(id)) out.push({ key, path, message: `unknown role "${id}" (not defined in roles.yaml)` });
  };
  const framework = (key: FileKey, path: PathSegment[], id: string, expected?: FrameworkKind) => {
    const message = frameworkProblem(id, expected);
    if (message) out.push({ key, path, message });
  };

  files.raci?.areas.forEach((a, i) => {
    for (const field of ['responsible', 'consulted', 'informed'] as const) {
      a[field].forEach((r, j) => role('raci', ['areas', i, field, j], r));
    }
    role('raci', ['areas', i, 'accountable'], a.accountable);
  });

  files.lifecycle?.gates.forEach((g, i) => {
    for (const [tier, rule] of Object.entries(g.approvers)) {
      rule.roles.forEach((r, j) => role('lifecycle', ['gates', i, 'approvers', tier, 'roles', j], r));
    }
  });

  files.controls?.controls.forEach((c, i) => {
    for (const [field, kind] of Object.entries(CONTROL_FRAMEWORK_FIELDS) as [keyof typeof CONTROL_FRAMEWORK_FIELDS, FrameworkKind][]) {
      c.frameworks[field].forEach((id, j) => framework('controls', ['controls', i, 'frameworks', field, j], id, kind));
    }
  });

  files.cadences?.cadences.forEach((c, i) =>
    c.frameworks.forEach((id, j) => framework('cadences', ['cadences', i, 'frameworks', j], id)),
  );

  files.incidents?.categories.forEach((c, i) =>
    c.owaspLlm.forEach((id, j) => framework('incidents', ['categories', i, 'owaspLlm', j], id, 'owasp_llm')),
  );

  // An organisation may report faster than Art. 73 requires, never slower.
  const legal = catalogue.euAiAct.seriousIncidentDeadlinesDays;
  if (files.incidents) {
    for (const [basis, days] of Object.entries(files.incidents.serious.deadlinesDays) as [keyof typeof legal, number][]) {
      if (days > legal[basis]) {
        out.push({
          key: 'incidents',
          path: ['serious', 'deadlinesDays', basis],
          message: `${days} days is longer than the EU AI Act Art. 73 maximum of ${legal[basis]} days`,
        });
      }
    }
  }

  // Legal references in the questionnaire and the dates must point at real EU AI Act items.
  files.risk?.questions.forEach((q, i) => {
    if (q.ref) framework('risk', ['questions', i, 'ref'], q.ref, 'eu_ai_act');
    q.options?.forEach((o, j) => {
      if (o.ref) framework('risk', ['questions', i, 'options', j, 'ref'], o.ref, 'eu_ai_act');
    });
  });
  files.regulation?.applicationDates.forEach((d, i) => {
    if (d.ref) framework('regulation', ['applicationDates', i, 'ref'], d.ref, 'eu_ai_act');
  });
  // Obligations name real articles, real controls and a RACI area that staffs an owner.
  const controlIds = files.controls ? new Set(files.controls.controls.map((c) => c.id)) : undefined;
  const areaIds = files.raci ? new Set(files.raci.areas.map((a) => a.id)) : undefined;
  files.regulation?.obligations.forEach((o, i) => {
    framework('regulation', ['obligations', i, 'article'], o.article, 'eu_ai_act');
    o.controlIds.forEach((c, j) => {
      if (controlIds && !controlIds.has(c)) out.push({ key: 'regulation', path: ['obligations', i, 'controlIds', j], message: `unknown control "${c}" (not in controls.yaml)` });
    });
    if (areaIds && !areaIds.has(o.owner)) out.push({ key: 'regulation', path: ['obligations', i, 'owner'], message: `unknown RACI area "${o.owner}" (not in raci.yaml)` });
  });

  return out;
}
