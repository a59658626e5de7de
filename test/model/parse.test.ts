import { describe, expect, it } from 'vitest';
import { ConfigBuilder, Access } from '../../src/model/model.js';
import { parseDocument } from '../../src/model/parse/index.js';
import type { FileKind } from '../../src/model/kinds.js';

function parse(kind: FileKind, value: unknown) {
  const builder = new ConfigBuilder();
  const findings = parseDocument(kind, value, 'f.json', builder);
  return { set: builder.build(), findings, codes: findings.map((f) => `${f.code}@${f.jsonPointer}`) };
}

describe('legacy reflect-config.json', () => {
  it('reads names in both spellings, conditions, flags, members', () => {
    const { set, findings } = parse('reflect', [
      {
        condition: { typeReachable: 'a.Cond' },
        name: '[Ljava.lang.String;',
        allDeclaredFields: true,
        queryAllPublicMethods: true,
        methods: [{ name: 'm', parameterTypes: ['[B', 'int'] }],
        queriedMethods: [{ name: 'q', parameterTypes: [] }],
        fields: [{ name: 'f', allowWrite: true }],
      },
      { type: { proxy: ['a.I', 'b.J'] }, allPublicMethods: true },
    ]);
    expect(findings).toEqual([]);
    const [t, proxy] = set.reflection;
    expect(t?.type).toEqual({ kind: 'class', name: 'java.lang.String[]' });
    expect(t?.condition).toBe('a.Cond');
    expect([...(t?.flags ?? [])]).toEqual(['allDeclaredFields']);
    expect(t?.groups.publicMethods).toBe(Access.Queried);
    expect(t?.methods).toEqual([
      { name: 'm', params: ['byte[]', 'int'], access: Access.Accessed },
      { name: 'q', params: [], access: Access.Queried },
    ]);
    expect(t?.fields).toEqual([{ name: 'f', allowWrite: true, allowUnsafeAccess: false }]);
    expect(proxy?.type).toEqual({ kind: 'proxy', interfaces: ['a.I', 'b.J'] });
  });

  it('reports wrong types at any depth and keeps reading the rest', () => {
    const { set, codes } = parse('reflect', [
      { name: 5 },
      { name: 'a.B', methods: [{ name: 'm', parameterTypes: [1] }], allPublicMethods: 'yes' },
      { name: 'c.D', fields: 'f' },
      'x',
      { name: 'ok.Fine' },
    ]);
    expect(codes).toEqual([
      'wrong-type@/0/name',
      'wrong-type@/1/allPublicMethods',
      'wrong-type@/1/methods/0/parameterTypes/0',
      'wrong-type@/2/fields',
      'wrong-type@/3',
    ]);
    expect(set.reflection.map((t) => (t.type.kind === 'class' ? t.type.name : ''))).toEqual(['a.B', 'c.D', 'ok.Fine']);
    // a method whose signature cannot be read is not registered with a wrong one
    expect(set.reflection[0]?.methods).toEqual([]);
  });

  it('rejects typeReached in a legacy file and hidden-class conditions', () => {
    const { codes } = parse('reflect', [
      { name: 'a.B', condition: { typeReached: 'x.Y' } },
      { name: 'a.C', condition: { typeReachable: 'x.Y$$Lambda$24/0x0000000800c03000' } },
      { name: 'a.D', condition: {} },
    ]);
    expect(codes).toEqual([
      'wrong-condition-key@/0/condition/typeReached',
      'hidden-class-condition@/1/condition/typeReachable',
      'empty-condition@/2/condition',
    ]);
  });

  it('reports duplicates, duplicate members and keys native-image ignores', () => {
    const { set, codes } = parse('reflect', [
      {
        name: 'a.B',
        methods: [
          { name: 'm', parameterTypes: [] },
          { name: 'm', parameterTypes: [] },
        ],
      },
      { name: 'a.B', allDeclaredFields: true, bogus: 1 },
    ]);
    expect(codes).toEqual(['duplicate-member@/0/methods/1', 'ignored-key@/1/bogus', 'duplicate-entry@/1']);
    expect(set.reflection).toHaveLength(1);
  });

  it('treats __proto__ and constructor as plain unknown keys', () => {
    const value = JSON.parse(
      '[{"name":"a.B","__proto__":{"polluted":true},"constructor":{"x":1},"methods":[{"name":"m","__proto__":{"parameterTypes":["x"]}}]}]',
    );
    const { set, codes } = parse('reflect', value);
    expect(codes).toEqual([
      'ignored-key@/0/__proto__',
      'ignored-key@/0/constructor',
      'ignored-key@/0/methods/0/__proto__',
    ]);
    expect(set.reflection[0]?.methods[0]?.params).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('resource-config.json', () => {
  it('reads every form: pre-1.0 array, includes/excludes, globs, bundles', () => {
    const old = parse('resource', { resources: [{ pattern: '\\Qa/b.txt\\E' }] });
    expect(old.codes).toEqual(['deprecated@/resources']);
    expect(old.set.resources).toEqual([{ condition: '', module: '', kind: 'glob', value: 'a/b.txt', reasons: [] }]);
    const v11 = parse('resource', {
      resources: {
        includes: [{ pattern: '.*\\.edn$', condition: { typeReachable: 'x.C' } }],
        excludes: [{ pattern: '.*\\.md$' }],
      },
      bundles: [{ name: 'x.Messages', locales: ['en'] }],
      globs: [{ glob: 'config/**/*.edn', module: 'app' }],
    });
    expect(v11.findings).toEqual([]);
    expect(v11.set.resources.map((r) => `${r.kind}:${r.value}:${r.module}:${r.condition}`)).toEqual([
      'regex:.*\\.edn$::x.C',
      'glob:config/**/*.edn:app:',
    ]);
    expect(v11.set.resourceExcludes).toHaveLength(1);
    expect(v11.set.bundles[0]?.locales).toEqual(['en']);
  });

  it('reports a regex that Java would not compile', () => {
    expect(parse('resource', { resources: { includes: [{ pattern: 'config/${env}.edn' }] } }).codes).toEqual([
      'bad-regex@/resources/includes/0/pattern',
    ]);
  });
});

describe('proxy, serialization and predefined-classes files', () => {
  it('reads proxies in the old and new forms, and flags empty ones', () => {
    const { set, codes } = parse('proxy', [
      ['a.I'],
      { interfaces: ['b.J'], condition: { typeReachable: 'c.C' } },
      { interfaces: [] },
    ]);
    expect(codes).toEqual(['deprecated@/0', 'empty-proxy@/2/interfaces']);
    expect(set.reflection).toHaveLength(2);
  });

  it('reads serialization as a bare array and as an object', () => {
    expect(parse('serialization', [{ name: 'a.B' }]).set.serialization).toHaveLength(1);
    const o = parse('serialization', {
      types: [{ name: 'a.B' }],
      lambdaCapturingTypes: [{ name: 'c.L' }],
      proxies: [{ interfaces: ['i.I'] }],
    });
    expect(o.findings).toEqual([]);
    expect(o.set.serialization).toHaveLength(2);
    expect(o.set.lambdaCapturing).toEqual([{ condition: '', name: 'c.L' }]);
    expect(parse('serialization', { types: [] }).codes).toEqual(['missing-key@']);
  });

  it('reads predefined classes', () => {
    const { set } = parse('predefined', [{ type: 'agent-extracted', classes: [{ nameInfo: 'a.B', hash: 'ff' }] }]);
    expect(set.predefined).toEqual([{ type: 'agent-extracted', classes: [{ hash: 'ff', nameInfo: 'a.B' }] }]);
  });
});

describe('reachability-metadata.json', () => {
  it('reads jniAccessible and serializable entries into their sections', () => {
    const { set, findings } = parse('unified', {
      reflection: [
        { type: 'a.B', jniAccessible: true, fields: [{ name: 'f' }] },
        { type: 'c.D', serializable: true },
        { type: 'e.F', serializable: true, allDeclaredFields: true },
        { type: { lambda: { declaringClass: 'g.H', interfaces: ['java.util.function.Function'] } } },
      ],
      resources: [{ glob: 'x/**' }, { bundle: 'm.Msgs', module: 'mod' }],
      foreign: { downcalls: [{ returnType: 'int', parameterTypes: [] }] },
      comment: 'made by hand',
    });
    expect(findings).toEqual([]);
    expect(set.reflection.map((t) => (t.type.kind === 'class' ? t.type.name : t.type.kind))).toEqual([
      'a.B',
      'e.F',
      'lambda',
    ]);
    expect(set.jni.map((t) => t.fields.map((f) => f.name))).toEqual([['f']]);
    expect(set.serialization.map((s) => s.type.kind === 'class' && s.type.name)).toEqual(['c.D', 'e.F']);
    expect(set.bundles).toEqual([
      { condition: '', module: 'mod', name: 'm.Msgs', locales: [], classNames: [], reasons: [] },
    ]);
    expect(set.foreign).toEqual({ downcalls: [{ returnType: 'int', parameterTypes: [] }] });
    expect(set.comments).toEqual(['made by hand']);
  });

  it('rejects typeReachable and legacy keys', () => {
    const { codes } = parse('unified', {
      reflection: [{ type: 'a.B', condition: { typeReachable: 'x.Y' }, queryAllDeclaredMethods: true, name: 'a.B' }],
      extra: [],
    });
    expect(codes).toEqual([
      'ignored-key@/extra',
      'ignored-key@/reflection/0/queryAllDeclaredMethods',
      'ignored-key@/reflection/0/name',
      'wrong-condition-key@/reflection/0/condition/typeReachable',
    ]);
  });

  it('reads the 1.0 layout with jni, serialization and bundles sections', () => {
    const { set, codes } = parse('unified', {
      jni: [{ type: 'a.B' }],
      serialization: [{ type: 'c.D' }],
      bundles: [{ name: 'm.Msgs', locales: ['de'] }],
    });
    expect(codes).toEqual(['deprecated@/jni', 'deprecated@/serialization', 'deprecated@/bundles']);
    expect(set.jni).toHaveLength(1);
    expect(set.serialization).toHaveLength(1);
    expect(set.bundles[0]?.locales).toEqual(['de']);
  });
});
