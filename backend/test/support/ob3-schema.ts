// Test helper: the official 1EdTech OB 3.0 AchievementCredential JSON Schema with ajv.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';

// The fixture lives with the certificates library (libs/certificates/test-fixtures, its README names source and version).
const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'libs', 'certificates', 'test-fixtures', 'ob_v3p0_achievementcredential_schema.json');

/**
 * Validates against the official schema (test-fixtures/README.md): loaded unchanged, with only the OB 3.0.3 change
 * to the VC 2.0 dates applied to the top-level `required` (validFrom instead of issuanceDate).
 */
export function ob3Validator(): (value: unknown) => string[] {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { required: string[]; properties: Record<string, unknown> };
  schema.required = schema.required.map((r) => (r === 'issuanceDate' ? 'validFrom' : r));
  schema.properties['validFrom'] = { type: 'string', format: 'date-time' };
  schema.properties['validUntil'] = { type: 'string', format: 'date-time' };
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
}
