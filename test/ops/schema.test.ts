/** The schema check in two steps (ops/schema.ts deferredSchemaCheck): the same findings as in one, on each file. */
import { describe, expect, it } from 'vitest';
import { loadSources, type SourceText } from '../../src/ops/load.js';
import { deferredSchemaCheck, schemaCheck } from '../../src/ops/schema.js';

const doc = (value: unknown): string => JSON.stringify(value, null, 2);

/**
 * Documents that fail their schema (a resource `module` that is no string: the schema then has
 * more to say than the reader), valid ones, and three sources of one name (as `-` given three
 * times makes).
 */
const SOURCES: SourceText[] = [
  { file: 'a/reachability-metadata.json', kind: 'unified', text: doc({ resources: [{ glob: 'a/**', module: 5 }] }) },
  { file: 'a/reflect-config.json', kind: 'reflect', text: doc([{ name: 'a.C', fields: [{ name: 5 }] }]) },
  { file: '<stdin>', kind: 'unified', text: doc({ resources: [{ glob: 'b/*', module: false }] }) },
  { file: '<stdin>', kind: 'reflect', text: doc([{ name: 'a.E' }]) },
  {
    file: '<stdin>',
    kind: 'unified',
    text: doc({ reflection: [{ type: 'a.F' }], resources: [{ glob: 'c', module: [] }] }),
  },
  { file: 'b/reachability-metadata.json', kind: 'unified', text: doc({ reflection: [{ type: 'a.G' }] }) },
];

describe('deferredSchemaCheck', () => {
  it('gives each file the schema findings the one-step check gives it, after its own, whatever their names', async () => {
    const once = loadSources(SOURCES, { schema: await schemaCheck() }).files;
    const deferred = deferredSchemaCheck();
    const twice = await deferred.report(loadSources(SOURCES, { schema: deferred.check }).files, SOURCES);
    expect(twice).toEqual(once);
    // the sample has what the comparison needs: findings of the schema's own on some files, of the reader's on others
    const fromSchema = (i: number) => once[i]!.findings.filter((f) => f.message.endsWith('.schema.json)'));
    for (const i of [0, 2, 4]) expect(fromSchema(i).length, `source ${i}`).toBeGreaterThan(0);
    for (const i of [1, 3, 5]) expect(fromSchema(i), `source ${i}`).toEqual([]);
    expect(once[1]!.findings.length).toBeGreaterThan(0);
  });

  it('adds nothing, and loads nothing, when every document satisfies its schema', async () => {
    const valid = [SOURCES[3]!, SOURCES[5]!];
    const deferred = deferredSchemaCheck();
    const files = loadSources(valid, { schema: deferred.check }).files;
    expect(await deferred.report(files, valid)).toBe(files);
  });
});
