/** One ajv instance with the standard formats, shared by load-time checks and grading. */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

export const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
