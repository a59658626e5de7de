/** Findings from Ajv errors, for ni-config's own user-edited files (project file, rule files). */
import type { SchemaError } from '../generated/settings.js';
import { finding, type Finding } from '../model/findings.js';
import { didYouMean } from '../model/suggest.js';

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
  value?: unknown,
): Finding[] {
  return errors.map((e) => {
    const message =
      e.keyword === 'additionalProperties'
        ? unknownKey(String(e.params.additionalProperty)) +
          didYouMean(String(e.params.additionalProperty), Object.keys(e.parentSchema?.properties ?? {}))
        : e.keyword === 'enum'
          ? `expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${enumSuggestion(e, value)}`
          : (e.message ?? 'invalid');
    return finding('schema', file, errorTarget(e), message);
  });
}

/** For a string that is not one of the allowed values: the allowed one it most likely meant. */
function enumSuggestion(e: SchemaError, root: unknown): string {
  const found = valueAt(root, e.instancePath);
  if (typeof found !== 'string') return '';
  return didYouMean(
    found,
    (e.params.allowedValues as unknown[]).filter((v): v is string => typeof v === 'string'),
  ).replace(/^; /, ', found ' + JSON.stringify(found) + '; ');
}

/** The value a JSON pointer names in a document. */
function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split('/').slice(1)) {
    const t = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[t];
  }
  return v;
}
