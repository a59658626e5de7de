/** Findings from Ajv errors, for ni-config's own user-edited files (project file, rule files). */
import type { SchemaError } from '../generated/settings.js';
import { finding, type Finding } from '../model/findings.js';

/** Where an Ajv error really points: the offending key for unknown keys. */
export function errorTarget(e: SchemaError): string {
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String(e.params.additionalProperty)}`;
  return e.instancePath;
}

/** Each error at the offending key, with `unknownKey` saying what an unexpected key should have been. */
export function settingsFindings(
  errors: readonly SchemaError[],
  file: string,
  unknownKey: (key: string) => string,
): Finding[] {
  return errors.map((e) => {
    const message =
      e.keyword === 'additionalProperties'
        ? unknownKey(String(e.params.additionalProperty))
        : e.keyword === 'enum'
          ? `expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
          : (e.message ?? 'invalid');
    return finding('schema', file, errorTarget(e), message);
  });
}
