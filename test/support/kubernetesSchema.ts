/**
 * Validates Kubernetes manifests against the API's OpenAPI v2 document (scripts/helm.sh fetches
 * Kubernetes v1.27.0's from the Go module k8s.io/kube-openapi), the way kubeconform's strict
 * mode does with the schemas openapi2jsonschema derives from the same document:
 *   - the kind is looked up by apiVersion + kind (x-kubernetes-group-version-kind);
 *   - IntOrString accepts a string or an integer, Quantity a string or a number;
 *   - strict: an object schema that lists its properties accepts no others (a misspelt or
 *     misplaced field is an error, which the API server would silently drop).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';

type Schema = Record<string, unknown>;

export interface KubernetesValidator {
  /** Problems of one manifest, each `<kind>/<name> <path>: <message>`; empty when valid. */
  validate(manifest: unknown): string[];
  /** apiVersion/kind pairs the document defines (e.g. `apps/v1/Deployment`). */
  kinds: ReadonlySet<string>;
}

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Adds `additionalProperties: false` wherever an object schema lists its properties. */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, strict(s)])) : strict(v);
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export function loadKubernetesValidator(swaggerPath: string): KubernetesValidator {
  const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8')) as { definitions: Record<string, Schema> };
  const definitions: Record<string, unknown> = {};
  const byKind = new Map<string, string>();
  for (const [name, def] of Object.entries(swagger.definitions)) {
    definitions[name] = strict(def);
    const gvks = (def['x-kubernetes-group-version-kind'] ?? []) as Array<{ group: string; version: string; kind: string }>;
    for (const g of gvks) byKind.set(`${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`, name);
  }
  definitions[INT_OR_STRING] = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  definitions[QUANTITY] = { anyOf: [{ type: 'string' }, { type: 'number' }] };

  // Formats (int32, date-time, ...) are not checked: Kubernetes' own values pass either way.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'k8s', definitions });
  const compiled = new Map<string, ValidateFunction>();

  const describe = (e: ErrorObject) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : '';
    return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra}`;
  };

  return {
    kinds: new Set(byKind.keys()),
    validate(manifest) {
      const m = manifest as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
      if (!m || typeof m !== 'object') return ['not an object'];
      const label = `${String(m.kind)}/${String(m.metadata?.name ?? '?')}`;
      const key = `${String(m.apiVersion)}/${String(m.kind)}`;
      const def = byKind.get(key);
      if (!def) return [`${label}: ${key} is not a kind of Kubernetes v1.27`];
      let validate = compiled.get(def);
      if (!validate) {
        validate = ajv.compile({ $ref: `k8s#/definitions/${def}` });
        compiled.set(def, validate);
      }
      if (validate(manifest)) return [];
      // anyOf branches repeat the same complaint; keep each message once.
      return [...new Set((validate.errors ?? []).map((e) => `${label} ${describe(e)}`))];
    },
  };
}
