/** The call-tree evidence parsers, on files shaped as the agent writes them and on the stand-in's own. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evidenceKey,
  onlyNamespaceLoading,
  originsTextEvidence,
  originsTextKind,
  partialConfigEvidence,
  splitEvidenceKey,
  type CallPath,
  type LookupEvidence,
} from '../../../src/ops/evidence/index.js';
import { REPO } from '../../helpers.js';

const FIXTURES = join(REPO, 'fixtures', 'evidence');
const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const text = (p: CallPath): string => p.map((f) => `${f.className}#${f.method}`).join(' > ');

/** key → sorted path texts, to compare evidence read from different files. */
function flat(evidence: LookupEvidence): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, paths] of evidence.paths) out[k.replace('\u0000', ' ')] = paths.map(text).sort();
  return out;
}

/** The evidence of every <kind>-origins.txt in a directory, merged. */
function fromTextFiles(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('-origins.txt'))) {
    const r = originsTextEvidence(readFileSync(join(dir, name), 'utf8'), name);
    expect(r.findings).toEqual([]);
    Object.assign(out, flat(r.evidence));
  }
  return out;
}

describe('partial-config-with-origins.json (experimental-conditional-config-part)', () => {
  const file = join(FIXTURES, 'jdk21', 'partial-config-with-origins.json');
  const r = partialConfigEvidence(json(file), file);

  it('gives every entry of every node its full call path, ending in the intercepted method', () => {
    expect(r.findings).toEqual([]);
    expect(r.evidence.precision).toBe('tree');
    expect([...r.evidence.paths.keys()].map((k) => k.replace('\u0000', ' ')).sort()).toEqual([
      'reflection clojure.core.server__init',
      'reflection java.lang.String',
      'reflection java.net.URI',
      'reflection java.util.AbstractList',
      'reflection java.util.Arrays$ArrayList',
      'resources hello/config.edn',
      'resources hello/core.clj',
    ]);
    const [uri] = r.evidence.paths.get(evidenceKey('reflection', 'java.net.URI'))!;
    expect(text(uri!)).toBe(
      [
        'clojure.main#main',
        'clojure.lang.Var#applyTo',
        'clojure.main$main#doInvoke',
        'clojure.main$main_opt#invokeStatic',
        'clojure.core$require#doInvoke',
        'clojure.lang.RT#load',
        'clojure.lang.RT#load',
        'clojure.lang.RT#loadResourceScript',
        'clojure.lang.Compiler#load',
        'clojure.lang.Compiler#eval',
        'clojure.lang.RT#classForName',
        'java.lang.Class#forName',
      ].join(' > '),
    );
    // one path per lookup site: String is looked up while hello.core loads and by the handler
    expect(r.evidence.paths.get(evidenceKey('reflection', 'java.lang.String'))).toHaveLength(2);
  });

  it('tells namespace loading from run-time lookups', () => {
    const only = (section: 'reflection' | 'resources', name: string) =>
      onlyNamespaceLoading(r.evidence, evidenceKey(section, name));
    expect(only('reflection', 'java.net.URI')).toBe(true); // below Compiler.load
    expect(only('reflection', 'clojure.core.server__init')).toBe(true); // below clojure.core__init.<clinit>
    expect(only('resources', 'hello/core.clj')).toBe(true); // below RT.load
    expect(only('reflection', 'java.lang.String')).toBe(false); // the handler's lookup keeps it
    expect(only('reflection', 'java.util.Arrays$ArrayList')).toBe(false); // Reflector at run time
    expect(only('reflection', 'java.util.AbstractList')).toBe(false);
    expect(only('resources', 'hello/config.edn')).toBe(false);
    expect(only('reflection', 'java.util.UUID')).toBe(false); // no evidence at all
  });

  it('hands back every node config, which is the run config in this mode', () => {
    const core = r.fragments.find((f) => JSON.stringify(f.value).includes('core.clj'))!;
    expect(core.kind).toBe('resource');
    expect(core.value).toEqual({ resources: { includes: [{ pattern: '\\Qhello/core.clj\\E' }] }, bundles: [] });
    expect(text(core.path)).toMatch(
      /^clojure\.main#main > .* > clojure\.lang\.RT#load > java\.lang\.ClassLoader#getResource$/,
    );
    expect(r.fragments.map((f) => f.kind).sort()).toEqual([
      'reflect',
      'reflect',
      'reflect',
      'reflect',
      'reflect',
      'resource',
      'resource',
    ]);
    for (const f of r.fragments) expect(f.pointer).toMatch(/^\/configuration-with-origins(\/methods\/\d+)+\/config\//);
  });

  it('reads the JDK 23+ form: "type" names, glob resources, proxies and jniAccessible entries', () => {
    const f = join(FIXTURES, 'jdk23', 'partial-config-with-origins.json');
    const r23 = partialConfigEvidence(json(f), f);
    expect(r23.findings).toEqual([]);
    const keys = [...r23.evidence.paths.keys()].map(splitEvidenceKey);
    expect(keys).toContainEqual({ section: 'proxies', name: 'java.lang.Runnable' });
    expect(keys).toContainEqual({ section: 'jni', name: 'hello.Native$Callback' });
    expect(keys).toContainEqual({ section: 'reflection', name: 'hello.Native$Callback' });
    // the same run's other entries read the same as in the legacy form
    const legacy = flat(r.evidence);
    const unified = flat(r23.evidence);
    for (const k of Object.keys(legacy)) expect(unified[k]).toEqual(legacy[k]);
  });
});

describe('<kind>-origins.txt (experimental-configuration-with-origins)', () => {
  it('gives the same evidence as the JSON tree of the same run', () => {
    const file = join(FIXTURES, 'jdk21', 'partial-config-with-origins.json');
    expect(fromTextFiles(join(FIXTURES, 'jdk21'))).toEqual(flat(partialConfigEvidence(json(file), file).evidence));
  });

  it('knows the kind by the file name, and says why it does not read others', () => {
    expect(originsTextKind('/x/reflect-origins.txt')).toBe('reflect');
    expect(originsTextKind('predefined-classes-origins.txt')).toBe('predefined-classes');
    expect(originsTextKind('reflect-config.json')).toBeUndefined();
    const combined = originsTextEvidence('{\n  "reflection": root\n}', 'out/reachability-metadata-origins.txt');
    expect(combined.findings.map((f) => [f.code, f.message])).toEqual([
      ['unknown-file', expect.stringContaining('experimental-conditional-config-part')],
    ]);
    expect(originsTextEvidence('root\n', 'notes.txt').findings[0]!.code).toBe('unknown-file');
  });

  it('places malformed lines by line and offset', () => {
    const bad = [
      'root',
      '└── a.B#m() - [{"name":"x.Y"}]',
      '        └── too.Deep#m()',
      '    └── a.B#n() - [{"name":',
      '    └── a.B#o() - [{"nom":"z"}]',
      '    └── no method here',
      '',
    ].join('\n');
    const r = originsTextEvidence(bad, 'reflect-origins.txt');
    expect(r.findings.map((f) => [f.code, f.message.slice(0, 7), f.offset])).toEqual([
      ['wrong-type', 'line 3:', bad.indexOf('        └── too')],
      ['json-syntax', 'line 4:', bad.indexOf('[{"name":\n')],
      ['missing-key', 'line 5:', bad.indexOf('[{"nom"')],
      ['wrong-type', 'line 6:', bad.indexOf('no method')],
    ]);
    expect(flat(r.evidence)).toEqual({ 'reflection x.Y': ['a.B#m'] });
    expect(originsTextEvidence('tree\n', 'reflect-origins.txt').findings[0]!.message).toMatch(
      /line 1: expected "root"/,
    );
  });
});

describe('the stand-in agent (test/agent) writes files these parsers read', () => {
  const dir = join(FIXTURES, 'standin');
  const file = join(dir, 'partial-config-with-origins.json');
  const r = partialConfigEvidence(json(file), file);

  it('records the real call stack of each lookup', () => {
    expect(r.findings).toEqual([]);
    expect(flat(r.evidence)).toMatchObject({
      'reflection probe.Probe': [
        'probe.Probe#main > java.lang.Class#forName',
        'probe.Probe#main > java.lang.Class#getDeclaredConstructor',
        'probe.Probe#main > java.lang.Class#getField',
        'probe.Probe#main > java.lang.Class#getMethod',
      ],
      'reflection java.util.UUID': ['probe.Probe#main > java.lang.Class#forName'],
      'resources config/app.edn': [
        'probe.Probe#main > java.lang.ClassLoader#getResource',
        'probe.Probe#main > java.lang.ClassLoader#getResource > java.lang.ClassLoader#getResource',
      ],
    });
  });

  it('writes the same tree in both origins modes', () => {
    expect(fromTextFiles(dir)).toEqual(flat(r.evidence));
  });
});

describe('findings for malformed trees', () => {
  const f = 'partial-config-with-origins.json';
  const node = (extra: Record<string, unknown>) => ({
    class: 'a.B',
    method: 'm',
    signature: '()V',
    methods: [],
    ...extra,
  });
  const tree = (...kids: unknown[]) => ({
    'configuration-with-origins': { ...node({ methods: kids }), class: '<root>' },
  });

  it('names the file, the pointer and what was expected', () => {
    expect(partialConfigEvidence([], f).findings.map((x) => [x.code, x.jsonPointer, x.message])).toEqual([
      ['wrong-type', '', "expected the agent's call tree (an object), found an array"],
    ]);
    expect(partialConfigEvidence({}, f).findings.map((x) => x.code)).toEqual(['missing-key']);
    const r = partialConfigEvidence(
      tree(
        { method: 'm', methods: [] },
        node({ methods: {} }),
        node({ config: [] }),
        node({ config: { reflect: [{ methods: [] }, { name: 7 }], resource: { resources: 1 }, weird: [] } }),
        node({ config: { reflect: [{ name: 'ok.Name' }] } }),
        'node',
      ),
      f,
    );
    expect(r.findings.map((x) => [x.code, x.severity, x.file, x.jsonPointer, x.message])).toEqual([
      ['missing-key', 'error', f, '/configuration-with-origins/methods/0', 'expected "class" in a call node'],
      [
        'wrong-type',
        'error',
        f,
        '/configuration-with-origins/methods/1/methods',
        'expected the called methods (an array), found an object',
      ],
      [
        'wrong-type',
        'error',
        f,
        '/configuration-with-origins/methods/2/config',
        "expected the node's config (an object), found an array",
      ],
      [
        'missing-key',
        'error',
        f,
        '/configuration-with-origins/methods/3/config/reflect/0',
        'expected "name" or "type" in a type entry',
      ],
      [
        'wrong-type',
        'error',
        f,
        '/configuration-with-origins/methods/3/config/reflect/1/name',
        'expected a class name, found a number',
      ],
      [
        'wrong-type',
        'error',
        f,
        '/configuration-with-origins/methods/3/config/resource/resources',
        'expected the resources (an object or an array), found a number',
      ],
      [
        'ignored-key',
        'warning',
        f,
        '/configuration-with-origins/methods/3/config/weird',
        '"weird" is not a kind the agent writes; its entries are not read',
      ],
      [
        'wrong-type',
        'error',
        f,
        '/configuration-with-origins/methods/5',
        'expected a call node (an object), found a string',
      ],
    ]);
    // what could be read still counts
    expect(flat(r.evidence)).toEqual({ 'reflection ok.Name': ['a.B#m'] });
  });

  it('normalises JVM array names and reads pre-1.0 resource forms', () => {
    const r = partialConfigEvidence(
      tree(
        node({
          config: {
            reflect: [{ name: '[Ljava.lang.String;' }, { name: '[B' }],
            resource: {
              resources: [{ pattern: '\\Qa/b.txt\\E' }, { pattern: 'META-INF/.*' }],
              bundles: [{ name: 'x.Msgs' }],
            },
            proxy: [['a.I', 'b.J'], { interfaces: ['c.K'] }],
            serialization: { types: [{ name: 'x.S' }], lambdaCapturingTypes: [{ name: 'x.L' }], proxies: [] },
          },
        }),
      ),
      f,
    );
    expect(r.findings).toEqual([]);
    expect(Object.keys(flat(r.evidence)).sort()).toEqual([
      'bundles x.Msgs',
      'proxies a.I,b.J',
      'proxies c.K',
      'reflection byte[]',
      'reflection java.lang.String[]',
      'resources META-INF/.*',
      'resources a/b.txt',
      'serialization x.L',
      'serialization x.S',
    ]);
  });
});
