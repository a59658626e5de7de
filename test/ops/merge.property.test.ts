/** Merge is a set union: commutative, associative, idempotent, on random models; and diff of them. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitLegacy, emitUnified, jsonTextPieces, toJsonText } from '../../src/model/emit/index.js';
import {
  Access,
  ConfigBuilder,
  MEMBER_GROUP_NAMES,
  TYPE_FLAGS,
  type ConfigSet,
  type TypeEntry,
  type TypeEntryInput,
  type TypeRef,
} from '../../src/model/model.js';
import { mergeSets } from '../../src/ops/merge.js';
import { diffSets, matchEntries, unifiedView, type Matched } from '../../src/ops/diff.js';
import { countEntries, itemOf, partEntries } from '../../src/model/sections.js';
import { canonical, loadDocs } from '../helpers.js';

const names = fc.constantFrom('a.A', 'a.B', 'b.C$D', 'java.lang.String[]', 'int[]');
const conditions = fc.constantFrom('', '', 'c.Cond', 'c.Other');
const typeRef: fc.Arbitrary<TypeRef> = fc.oneof(
  { weight: 5, arbitrary: names.map((name) => ({ kind: 'class' as const, name })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.constantFrom('i.I', 'i.J', 'i.K'), { minLength: 1, maxLength: 2 })
      .map((interfaces) => ({ kind: 'proxy' as const, interfaces })),
  },
);
const method = fc.record({
  name: fc.constantFrom('<init>', 'run', 'get'),
  params: fc.option(fc.array(fc.constantFrom('int', 'java.lang.String'), { maxLength: 2 }), { nil: null, freq: 5 }),
  access: fc.constantFrom(Access.Queried, Access.Accessed),
});
const field = fc.record({
  name: fc.constantFrom('f', 'g'),
  allowWrite: fc.boolean(),
  allowUnsafeAccess: fc.constant(false),
});
const typeEntry = fc.record({
  condition: conditions,
  type: typeRef,
  flags: fc.subarray([...TYPE_FLAGS], { maxLength: 3 }),
  groups: fc.record(
    Object.fromEntries(
      MEMBER_GROUP_NAMES.map((g) => [g, fc.constantFrom(Access.None, Access.None, Access.Queried, Access.Accessed)]),
    ) as Record<(typeof MEMBER_GROUP_NAMES)[number], fc.Arbitrary<Access>>,
  ),
  methods: fc.array(method, { maxLength: 3 }),
  fields: fc.array(field, { maxLength: 2 }),
  reasons: fc.subarray(['why', 'because']),
});
// Regex patterns have no module (legacy files cannot say one); globs may.
const regex = fc.record({
  condition: conditions,
  module: fc.constant(''),
  kind: fc.constant('regex' as const),
  value: fc.constantFrom('.*\\.edn$', '\\Qa\\E.*', 'x/[a-z]+\\.sql'),
});
const resource = fc.oneof(
  regex,
  fc.record({
    condition: conditions,
    module: fc.constantFrom('', 'm'),
    kind: fc.constant('glob' as const),
    value: fc.constantFrom('a/b.txt', '**/*.clj'),
  }),
);

const configSet: fc.Arbitrary<ConfigSet> = fc
  .record({
    reflection: fc.array(typeEntry, { maxLength: 5 }),
    jni: fc.array(typeEntry, { maxLength: 2 }),
    serialization: fc.array(
      fc.record({
        condition: conditions,
        type: typeRef,
        customTargetConstructorClass: fc.constantFrom('', '', 'x.Ctor'),
      }),
      { maxLength: 3 },
    ),
    lambda: fc.array(fc.record({ condition: conditions, name: names }), { maxLength: 1 }),
    resources: fc.array(resource, { maxLength: 3 }),
    excludes: fc.array(regex, { maxLength: 1 }),
    bundles: fc.array(
      fc.record({
        condition: conditions,
        name: fc.constantFrom('x.Msgs', 'y.Msgs'),
        locales: fc.subarray(['en', 'de']),
        classNames: fc.subarray(['x.Msgs_en']),
      }),
      { maxLength: 2 },
    ),
    predefined: fc.array(fc.record({ hash: fc.constantFrom('aa', 'bb'), nameInfo: fc.constantFrom('', 'p.Q') }), {
      maxLength: 2,
    }),
  })
  .map((r) => {
    const b = new ConfigBuilder();
    for (const t of r.reflection) b.addType('reflection', t);
    for (const t of r.jni) b.addType('jni', t);
    for (const s of r.serialization) b.addSerialization(s);
    for (const l of r.lambda) b.addLambdaCapturing(l.condition, l.name);
    for (const x of r.resources) b.addResource(x);
    for (const x of r.excludes) b.addResource(x, true);
    for (const x of r.bundles) b.addBundle(x);
    if (r.predefined.length > 0) b.addPredefined('agent-extracted', r.predefined);
    return b.build();
  });

const runs = { numRuns: Number(process.env.NI_CONFIG_PROPERTY_RUNS ?? 300) };

describe('merge', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(configSet, configSet, (a, b) => canonical(mergeSets([a, b])) === canonical(mergeSets([b, a]))),
      runs,
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(
        configSet,
        configSet,
        configSet,
        (a, b, c) => canonical(mergeSets([mergeSets([a, b]), c])) === canonical(mergeSets([a, mergeSets([b, c])])),
      ),
      runs,
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(configSet, (a) => canonical(mergeSets([a, a])) === canonical(a)),
      runs,
    );
  });

  it('keeps everything either side had (the result covers both inputs)', () => {
    fc.assert(
      fc.property(configSet, configSet, (a, b) => {
        const m = mergeSets([a, b]);
        return canonical(mergeSets([m, a])) === canonical(m) && canonical(mergeSets([m, b])) === canonical(m);
      }),
      runs,
    );
  });
});

describe('random models', () => {
  it('round-trip through the legacy files', () => {
    fc.assert(
      fc.property(configSet, (a) => canonical(loadDocs(emitLegacy(a).files).set) === canonical(a)),
      runs,
    );
  });

  it('emit byte-identical text for the same model', () => {
    fc.assert(
      fc.property(configSet, (a) => {
        const copy = new ConfigBuilder().addSet(a).build();
        return JSON.stringify([...emitUnified(a).files]) === JSON.stringify([...emitUnified(copy).files]);
      }),
      runs,
    );
  });

  it('emit the same files, text and notes with the reflection list made as it is written (lazily)', () => {
    fc.assert(
      fc.property(configSet, (a) => {
        // a built set, and the same lists made by hand (out of order: the emitter sorts them)
        const byHand = { ...a, reflection: [...a.reflection].reverse(), jni: [...a.jni].reverse() };
        for (const set of [a, byHand]) {
          const eager = emitUnified(set);
          const lazy = emitUnified(set, { lazy: true });
          expect([...lazy.files.keys()]).toEqual([...eager.files.keys()]);
          for (const [name, value] of lazy.files) {
            const text = toJsonText(eager.files.get(name));
            expect([...jsonTextPieces(value)].join(''), name).toBe(text);
            expect(toJsonText(value), name).toBe(text);
          }
          expect(lazy.notes).toEqual(eager.notes);
        }
      }),
      runs,
    );
  });

  it('emit lazily without a first pass only when no entry makes a note (reflection alone, one feature each)', () => {
    // sets where most entries are plain and a few have one thing that makes a note or a side file:
    // the lazy emit must see each of them, alone as they are, and give the eager emit's notes.
    // Some are JNI entries (alone, or beside a reflection entry with the same or other members)
    // and some serializable: with a quiet reflection list, the first pass sees the JNI ones only.
    const feature = fc.constantFrom(
      'plain',
      'plain',
      'unified-flag',
      'other-flag',
      'queried-method',
      'any-overload',
      'write-field',
      'unsafe-field',
      'queried-group',
      'accessed-group',
    );
    const section = fc.constantFrom('reflection', 'reflection', 'reflection', 'jni', 'both', 'both-plain');
    const sparse = fc
      .array(fc.record({ condition: conditions, type: typeRef, feature, section, serializable: fc.boolean() }), {
        maxLength: 6,
      })
      .map((list) => {
        const b = new ConfigBuilder();
        for (const { condition, type, feature: f, section: where, serializable } of list) {
          const entry: TypeEntryInput = {
            condition,
            type,
            flags: f === 'unified-flag' ? ['unsafeAllocated'] : f === 'other-flag' ? ['allNestMembers'] : [],
            groups:
              f === 'queried-group'
                ? { publicMethods: Access.Queried }
                : f === 'accessed-group'
                  ? { declaredConstructors: Access.Accessed }
                  : {},
            methods:
              f === 'queried-method'
                ? [{ name: 'run', params: [], access: Access.Queried }]
                : f === 'any-overload'
                  ? [{ name: 'run', params: null, access: Access.Accessed }]
                  : [{ name: 'get', params: ['int'], access: Access.Accessed }],
            fields:
              f === 'write-field' || f === 'unsafe-field'
                ? [{ name: 'f', allowWrite: f === 'write-field', allowUnsafeAccess: f === 'unsafe-field' }]
                : [],
          };
          const plain: TypeEntryInput = {
            condition,
            type,
            methods: [{ name: 'get', params: ['int'], access: Access.Accessed }],
          };
          if (where === 'reflection') b.addType('reflection', entry);
          else if (where === 'jni') b.addType('jni', entry);
          else {
            // beside a plain reflection entry: the same members (plain, plain) or others
            b.addType('reflection', plain);
            b.addType('jni', where === 'both-plain' ? plain : entry);
          }
          if (serializable) b.addSerialization({ condition, type });
        }
        return b.build();
      });
    fc.assert(
      fc.property(sparse, (set) => {
        const eager = emitUnified(set);
        const lazy = emitUnified(set, { lazy: true });
        expect(lazy.notes).toEqual(eager.notes);
        expect([...lazy.files.keys()]).toEqual([...eager.files.keys()]);
        for (const [name, value] of lazy.files)
          expect([...jsonTextPieces(value)].join(''), name).toBe(toJsonText(eager.files.get(name)));
      }),
      runs,
    );
  });

  it('read from one unified file are already their own unified view (diff skips converting them)', () => {
    fc.assert(
      fc.property(configSet, (a) => {
        const set = loadDocs(
          new Map([['reachability-metadata.json', emitUnified(a).files.get('reachability-metadata.json') ?? {}]]),
        ).set;
        const view = unifiedView(set);
        expect(diffSets(set, view).changes).toEqual([]);
        return canonical(view) === canonical(set);
      }),
      runs,
    );
  });

  it('read from several unified files are not always their own view (so diff converts them)', () => {
    // JNI access in one file and a field in another: one entry once emitted, and JNI gets the field
    const docs = new Map<string, unknown>([
      ['1/reachability-metadata.json', { reflection: [{ type: 'b.C', jniAccessible: true }] }],
      ['2/reachability-metadata.json', { reflection: [{ type: 'b.C', fields: [{ name: 'f' }] }] }],
    ]);
    const set = loadDocs(docs).set;
    expect(diffSets(set, unifiedView(set)).changes).not.toEqual([]);
  });

  it('survive unified output with every loss named in a note', () => {
    fc.assert(
      fc.property(configSet, (a) => {
        const emitted = emitUnified(a);
        const back = loadDocs(emitted.files);
        expect(back.findings.filter((f) => f.severity === 'error')).toEqual([]);
        return canonical(back.set) === canonical(a) || emitted.notes.length > 0;
      }),
      runs,
    );
  });

  it('are matched by diff in order exactly as by key', () => {
    // two built sets' type entries: the walk along both sorted lists pairs, adds and removes the
    // same entries, in the same order, as matching through an index of their keys
    const keys = (m: Matched<unknown>): string =>
      JSON.stringify({
        added: m.added.map((s) => s.item.key),
        removed: m.removed.map((s) => s.item.key),
        both: m.both.map(([a, b]) => [
          itemOf('reflection', a as TypeEntry).key,
          itemOf('reflection', b as TypeEntry).key,
        ]),
      });
    fc.assert(
      fc.property(configSet, configSet, (a, b) => {
        for (const p of ['reflection', 'jni', 'proxies'] as const) {
          const [olds, nows] = [partEntries(a, p), partEntries(b, p)];
          expect(keys(matchEntries(p, olds, nows, 'in-order'))).toBe(keys(matchEntries(p, olds, nows, 'by-key')));
        }
      }),
      runs,
    );
  });

  it('diff without a fault whatever changed, predefined classes included', () => {
    fc.assert(
      fc.property(configSet, configSet, (a, b) => {
        const { changes } = diffSets(a, b);
        return changes.every(
          (c) => c.kind !== 'moved' || c.condition !== '' || c.details[0] !== 'condition: none → none',
        );
      }),
      runs,
    );
  });
});

describe('countEntries', () => {
  const lambda: fc.Arbitrary<TypeRef> = fc.record({
    kind: fc.constant('lambda' as const),
    declaringClass: names,
    interfaces: fc.constantFrom(['i.I'], ['i.J']),
  });
  const anyType = fc.array(
    fc.oneof(
      typeEntry,
      typeEntry.chain((t) => lambda.map((type) => ({ ...t, type }))),
    ),
    {
      maxLength: 12,
    },
  );

  it('counts proxies apart from the other reflection entries, in a built list and in one made by hand', () => {
    fc.assert(
      fc.property(anyType, (entries) => {
        const b = new ConfigBuilder();
        for (const t of entries) b.addType('reflection', t);
        const set = b.build();
        const proxies = set.reflection.filter((t) => t.type.kind === 'proxy').length;
        const expected = { reflection: set.reflection.length - proxies, proxies };
        // the same entries in another order: not a built list, so walked
        const byHand = { ...set, reflection: [...set.reflection].reverse() };
        for (const s of [set, byHand]) {
          const counts = countEntries(s) as Record<string, number>;
          expect({ reflection: counts.reflection, proxies: counts.proxies }).toEqual(expected);
        }
      }),
      runs,
    );
  });
});
