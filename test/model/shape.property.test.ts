/**
 * The quick schema check (model/parse/shape.ts) says yes only to documents the compiled
 * validator accepts, and to all of them but the forms it leaves to the validator (`foreign`):
 * on every corpus file of the lean kinds (the whole corpus when NI_CONFIG_CORPUS names it, else
 * the committed subset), on hand-written documents of every form, and on mutated ones — nodes
 * replaced by values of other types and by names the schema's patterns refuse, keys added and
 * dropped.
 */
import fc from 'fast-check';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as validators from '../../src/generated/validators.js';
import type { FileKind } from '../../src/model/kinds.js';
import { LEAN_KINDS } from '../../src/model/kinds.js';
import { certainlySatisfiesSchema } from '../../src/model/parse/shape.js';
import { CORPUS, FULL_CORPUS, corpusFiles } from '../helpers.js';
import { get, paths, set, type Json } from '../json-edit.js';

const RUNS = Number(process.env.NI_CONFIG_FUZZ_RUNS ?? 400);

/** What the quick check must answer: the compiled validator's verdict, except where it defers. */
function expected(kind: FileKind, doc: Json): boolean {
  if (kind === 'unified') {
    const o = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc : {};
    return validators.unified12(doc) && !('foreign' in o);
  }
  return validators[kind === 'jni' ? 'jni' : 'reflect'](doc);
}

function expectAgrees(kind: FileKind, doc: Json): void {
  expect(certainlySatisfiesSchema(kind, doc), JSON.stringify(doc).slice(0, 400)).toBe(expected(kind, doc));
}

const files = corpusFiles(FULL_CORPUS ?? CORPUS).filter((f) => LEAN_KINDS.has(f.kind));

const handWritten: [FileKind, Json][] = [
  [
    'unified',
    {
      comment: ['a', 'b'],
      reflection: [
        { type: 'a.B', condition: { typeReached: 'a.C' }, reason: ['x'], allDeclaredFields: true },
        { type: { proxy: ['a.I', 'a.J'] }, condition: { typeReached: { proxy: ['a.I'] } } },
        {
          type: {
            lambda: {
              declaringClass: 'a.B',
              declaringMethod: { name: 'm', parameterTypes: ['int[]', 'a.C'] },
              interfaces: ['a.I'],
            },
          },
        },
        { type: 'a.B[][]', methods: [{ name: '<init>', parameterTypes: [] }], fields: [{ name: 'f' }] },
        { type: 'a.B', jniAccessible: true, serializable: false, unsafeAllocated: true, reason: 'why' },
      ],
      resources: [
        { glob: 'a/**', module: 'm', condition: { typeReached: 'a.C' }, reason: 'r' },
        { bundle: 'a.Messages' },
      ],
    },
  ],
  ['unified', { foreign: { downcalls: [] } }],
  ['unified', { reflection: [], jni: [] }],
  ['unified', { resources: [{ glob: 'a', bundle: 'b' }] }],
  ['unified', { reflection: [{ type: 'a..B' }] }],
  ['unified', { reflection: [{ type: { lambda: { declaringClass: 'a.B', interfaces: [] } } }] }],
  ['unified', { reflection: [{ type: { proxy: ['a.I'], lambda: { declaringClass: 'a.B', interfaces: ['a.I'] } } }] }],
  [
    'reflect',
    [
      {
        name: 'a.B',
        condition: { typeReachable: 'a.C' },
        methods: [{ name: 'm' }, { name: 'n', parameterTypes: ['[B'] }],
        queriedMethods: [{ name: 'q', parameterTypes: [] }],
        fields: [{ name: 'f', allowWrite: true, allowUnsafeAccess: false }],
        allDeclaredClasses: true,
        queryAllPublicConstructors: false,
        reasons: ['x'],
      },
      { type: { proxy: ['a.I'] }, condition: { typeReached: { proxy: [] } } },
      {},
    ],
  ],
  ['reflect', [{ condition: { typeReachable: 'a', typeReached: 'b' } }]],
  ['reflect', [{ condition: {} }]],
  ['jni', [{ name: 'a.B', fields: [{ name: 'f' }], allPublicFields: true }]],
  ['jni', [{ name: 'a.B', fields: [{ allowWrite: true }] }]],
];

describe('the quick schema check', () => {
  it('agrees with the compiled validator on every corpus file of the lean kinds', () => {
    let yes = 0;
    for (const f of files) {
      const doc = JSON.parse(readFileSync(f.path, 'utf8')) as Json;
      expectAgrees(f.kind, doc);
      if (certainlySatisfiesSchema(f.kind, doc)) yes++;
    }
    // it is there to answer for most files itself
    expect(yes).toBeGreaterThan(files.length / 2);
  });

  it('agrees with the compiled validator on documents of every form', () => {
    for (const [kind, doc] of handWritten) expectAgrees(kind, doc);
  });

  const names = fc.constantFrom<Json>(
    'a.B',
    'a..B',
    '.a',
    'a.',
    'a/B',
    'a;',
    '[B',
    '[La.B;',
    'a.B[]',
    'a.B[][]',
    'a.B[]x',
    'a.B[',
    'a]b',
    'é.ü',
    ' a.B',
    '',
  );
  const values = fc.oneof(
    names,
    fc.constantFrom<Json>(true, false, null, 0, 1.5, [], {}, ['a.B'], ['a..B'], [1], { proxy: ['a.I'] }, { proxy: [] }),
    fc.constantFrom<Json>(
      { typeReached: 'a.C' },
      { typeReachable: 'a.C' },
      { typeReached: 'a.C', typeReachable: 'a.C' },
      { typeReached: { proxy: ['a.I'] } },
      { lambda: { declaringClass: 'a.B', interfaces: ['a.I'] } },
      { lambda: { declaringClass: 'a.B', declaringMethod: { name: 'm', parameterTypes: [] }, interfaces: ['a.I'] } },
      { lambda: { declaringClass: 'a.B', declaringMethod: { name: 'm' }, interfaces: ['a.I'] } },
      { name: 'f' },
      { name: 'f', allowWrite: true },
      { name: 'm', parameterTypes: [] },
      { name: 'm', parameterTypes: ['int', 'a..B'] },
      { glob: 'a' },
      { bundle: 'b' },
    ),
  );
  const keys = fc.constantFrom(
    'name',
    'type',
    'proxy',
    'lambda',
    'glob',
    'bundle',
    'module',
    'typeReached',
    'typeReachable',
    'parameterTypes',
    'condition',
    'reason',
    'reasons',
    'allowWrite',
    'declaringMethod',
    'declaringClass',
    'interfaces',
    'methods',
    'queriedMethods',
    'fields',
    'allDeclaredFields',
    'allDeclaredClasses',
    'jniAccessible',
    'serializable',
    'comment',
    'foreign',
    'jni',
    'unknown',
  );
  type Edit = (doc: Json, pick: number) => Json;
  const objectsOf = (d: Json): (string | number)[][] =>
    paths(d).filter((q) => {
      const v = get(d, q);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    values.map((v) => (d: Json, p: number) => {
      const all = paths(d);
      return set(d, all[p % all.length]!, () => v);
    }),
    fc.tuple(keys, values).map(([k, v]) => (d: Json, p: number) => {
      const objects = objectsOf(d);
      return objects.length === 0 ? d : set(d, objects[p % objects.length]!, (o) => ({ ...(o as object), [k]: v }));
    }),
    fc.constant((d: Json, p: number) => {
      const all = paths(d).filter((q) => q.length > 0);
      return all.length === 0 ? d : set(d, all[p % all.length]!, () => undefined);
    }),
  );

  const seeds: [FileKind, Json][] = [
    ...handWritten,
    ...files
      .filter((f) => statSync(f.path).size < 24 * 1024)
      .filter((_, i, list) => i % Math.max(1, Math.floor(list.length / 40)) === 0)
      .map((f): [FileKind, Json] => [f.kind, JSON.parse(readFileSync(f.path, 'utf8')) as Json]),
  ];

  it('agrees with the compiled validator on mutated documents', () => {
    let yes = 0;
    let no = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(edit, fc.nat()), { minLength: 1, maxLength: 3 }),
        ([kind, seed], edits) => {
          let doc = seed;
          for (const [e, pick] of edits) doc = e(doc, pick);
          expectAgrees(kind, doc);
          if (certainlySatisfiesSchema(kind, doc)) yes++;
          else no++;
        },
      ),
      { numRuns: RUNS },
    );
    // the mutations reach both answers
    expect(yes).toBeGreaterThan(RUNS / 20);
    expect(no).toBeGreaterThan(RUNS / 4);
  });
});
