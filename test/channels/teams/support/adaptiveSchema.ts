/** Ajv validator for the published Adaptive Card 1.5 schema (draft-06, named with a draft-04 "id"). */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { readFileSync } from 'node:fs';
import { referencePath } from '../../../support/reference';

export const ADAPTIVE_SCHEMA_PATH = referencePath('schemas', 'adaptive-card-1.5.0.schema.json');

export function adaptiveCardValidator(): (card: unknown) => string[] {
  const schema = JSON.parse(readFileSync(ADAPTIVE_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const { id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(draft06);
  const validate = ajv.compile({ ...rest, $id: id as string });
  return (card) => (validate(card) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}
