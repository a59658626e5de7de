/** The enums of ni-config's own schemas are the tables the code uses, so neither can drift from the other. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIFF_FORMATS } from '../src/cli/render/diff.js';
import { ENGINE_NAMES, FORMAT_NAMES, PRESET_NAMES, RISK_NAMES, SECTION_NAMES } from '../src/commands/catalog.js';
import { RULE_SECTIONS } from '../src/ops/prune/rules.js';
import { FILE_KINDS, type FileKind } from '../src/model/kinds.js';
import { schemaFor } from '../src/ops/load.js';
import { REPO } from './helpers.js';

const schema = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(REPO, 'schemas', name), 'utf8')) as Record<string, unknown>;

/** The value at a path of keys into a schema. */
function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

describe('schema enums equal the tables', () => {
  const project = schema('ni-config.schema.json');
  it('ni-config.schema.json: presets and formats', () => {
    expect(at(project, 'properties', 'prune', 'properties', 'presets', 'items', 'enum')).toEqual(PRESET_NAMES);
    expect(at(project, 'properties', 'format', 'enum')).toEqual(FORMAT_NAMES);
    expect(at(project, 'properties', 'write', 'properties', 'format', 'enum')).toEqual(FORMAT_NAMES);
  });

  it('ni-config-rules.schema.json: the sections a rule can name', () => {
    const rules = schema('ni-config-rules.schema.json');
    const item = at(rules, '$defs', 'rule', 'properties', 'sections', 'items', 'enum');
    expect(item).toEqual(RULE_SECTIONS);
  });

  it('ni-config-diff.schema.json: sections, risks and change kinds', () => {
    const diff = schema('ni-config-diff.schema.json');
    expect(at(diff, 'properties', 'stat', 'propertyNames', 'enum')).toEqual(SECTION_NAMES);
    const change = at(diff, 'properties', 'changes', 'items', 'properties');
    expect(at(change, 'section', 'enum')).toEqual(SECTION_NAMES);
    expect(at(change, 'risks', 'items', 'enum')).toEqual(RISK_NAMES);
    expect(at(change, 'kind', 'enum')).toEqual(['added', 'removed', 'changed', 'moved']);
  });

  it('the choices flags offer come from the same tables', () => {
    expect(DIFF_FORMATS).toEqual(['text', 'markdown', 'json', 'github']);
    expect(ENGINE_NAMES).toEqual(['docker', 'podman']);
  });
});

describe('the schema each file kind is checked against', () => {
  it('is a file in schemas/ and a compiled validator, for every kind', async () => {
    const validators = (await import('../src/generated/validators.js')) as Record<string, unknown>;
    for (const kind of Object.keys(FILE_KINDS) as FileKind[])
      for (const value of [{}, { jni: [] }]) {
        const choice = schemaFor(kind, value);
        expect(typeof validators[choice.name], `${kind}: ${choice.name}`).toBe('function');
        expect(existsSync(join(REPO, 'schemas', choice.schemaFile)), `${kind}: ${choice.schemaFile}`).toBe(true);
      }
    expect(schemaFor('reflect', []).schemaFile).toBe('reflect-config.schema.json');
    expect(schemaFor('predefined', []).schemaFile).toBe('predefined-classes-config.schema.json');
    expect(schemaFor('unified', { bundles: [] }).schemaFile).toBe('reachability-metadata-v1.1.schema.json');
  });
});
