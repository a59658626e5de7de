/** prune on real raw/cleaned pairs and on the rules' own edge cases. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigBuilder, type ConfigSet, type TypeEntry } from '../../src/model/model.js';
import { parseJsonText } from '../../src/model/json-text.js';
import { AGGRESSIVE_RULES, PRESETS, expandPresets, type PresetName } from '../../src/ops/prune/presets.js';
import { evidenceKey } from '../../src/ops/evidence/types.js';
import { prune } from '../../src/ops/prune/engine.js';
import { parseRuleFile } from '../../src/ops/prune/rule-file.js';
import { classGlobMatcher, pathGlobMatcher } from '../../src/ops/prune/rules.js';
import { traceLookupEvidence as traceEvidence } from '../../src/ops/evidence/traces.js';
import { collectSources } from '../../src/io/inputs.js';
import { loadSources } from '../../src/ops/load.js';
import { CORPUS, FULL_CORPUS, REPO, loadFile } from '../helpers.js';

/** A file or a directory of metadata, as one set. */
async function loadPath(path: string): Promise<ConfigSet> {
  const { sources } = await collectSources([path]);
  return loadSources(sources).set;
}

const HOLY = join(CORPUS, 'others', 'FieryCod__holy-lambda', '7484c85');
/** The gold pairs: raw agent output and the hand-cleaned file of the same run (aws-interop is not one). */
const PAIRS = [
  'examples/bb/native/cognitect.aws.api',
  'examples/bb/native/hl.aws-bucket',
  'modules/holy-lambda-babashka-tasks',
].map((d) => join(HOLY, d, 'resources', 'native-configuration'));

function rulesOf(...names: PresetName[]) {
  return expandPresets(names).flatMap((n) => PRESETS[n].rules);
}

const key = (t: TypeEntry): string => JSON.stringify([t.condition, t.type]);

/** Every cleaned entry is in the pruned set with at least its members; returns the extras. */
function recall(pruned: ConfigSet, clean: ConfigSet): { missing: string[]; extras: number } {
  const out = new Map(pruned.reflection.map((t) => [key(t), t]));
  const missing: string[] = [];
  for (const c of clean.reflection) {
    const p = out.get(key(c));
    const merged = new ConfigBuilder();
    if (p) merged.addType('reflection', p);
    merged.addType('reflection', c);
    const covered = p !== undefined && JSON.stringify(merged.build().reflection) === JSON.stringify([p]);
    if (!covered) missing.push(key(c));
  }
  const cleanKeys = new Set(clean.reflection.map(key));
  return { missing, extras: pruned.reflection.filter((t) => !cleanKeys.has(key(t))).length };
}

/**
 * holy-lambda's cleaner (holy_lambda/refl.clj) compares the agent's `[Z` names with the `boolean[]`
 * names it normalised the trace's to, so in the one pair written with `[Z` names it keeps the
 * primitive arrays whose only lookups are clojure.genclass's init. By the evidence they are
 * namespace-loading noise; they are the only hand-kept entries the evidence removes.
 */
const CLEANER_ARTEFACTS: Readonly<Record<string, readonly string[]>> = {
  'cognitect.aws.api': ['boolean[]', 'double[]', 'float[]', 'int[]', 'long[]', 'short[]'],
};

describe('prune --preset clojure on the holy-lambda raw/cleaned pairs', () => {
  for (const dir of PAIRS) {
    const name = dir.split('/').at(-3)!;
    it(`keeps every cleaned entry of ${name}: the presets alone, --aggressive, and with the trace at most 3 extras`, () => {
      const raw = loadFile(join(dir, 'reflect-config.orig.json'), 'reflect').set;
      const clean = loadFile(join(dir, 'reflect-config.json'), 'reflect').set;
      const trace = traceEvidence(JSON.parse(readFileSync(join(dir, 'traces.json'), 'utf8')), 'traces.json');
      expect(trace.findings).toEqual([]);
      const plain = recall(prune(raw, { rules: rulesOf('clojure', 'default') }).set, clean);
      const aggressive = recall(
        prune(raw, { rules: [...rulesOf('clojure', 'default'), ...AGGRESSIVE_RULES] }).set,
        clean,
      );
      const withTrace = recall(
        prune(raw, { rules: rulesOf('clojure', 'default'), evidence: trace.evidence }).set,
        clean,
      );
      expect(plain.missing).toEqual([]);
      expect(aggressive.missing).toEqual([]);
      const missingNames = withTrace.missing.map((k) => (JSON.parse(k) as [string, { name: string }])[1].name);
      expect(missingNames).toEqual(CLEANER_ARTEFACTS[name] ?? []);
      for (const a of CLEANER_ARTEFACTS[name] ?? [])
        expect(trace.evidence.paths.get(evidenceKey('reflection', a))?.map((p) => p[0]?.className)).toEqual([
          'clojure.genclass__init',
        ]);
      console.log(
        `prune ${name}: raw ${raw.reflection.length}, cleaned ${clean.reflection.length}; extras kept ${plain.extras} by the presets, ${aggressive.extras} with --aggressive, ${withTrace.extras} with the trace`,
      );
      expect(withTrace.extras).toBeLessThanOrEqual(3);
    });
  }
});

describe('rules', () => {
  it('follow GraalVM filter globs: * one level, ** any depth, $ is no separator', () => {
    expect(classGlobMatcher('clojure.*')('clojure.core$fn__123')).toBe(true);
    expect(classGlobMatcher('clojure.*')('clojure.lang.RT')).toBe(false);
    expect(classGlobMatcher('clojure.**')('clojure.lang.RT')).toBe(true);
    expect(classGlobMatcher('clojure.**')('clojure')).toBe(false);
    expect(classGlobMatcher('a.B')('a.B[]')).toBe(true);
    expect(pathGlobMatcher('**/*.clj')('clojure/core.clj')).toBe(true);
    expect(pathGlobMatcher('**/*.clj')('core.clj')).toBe(true);
    expect(pathGlobMatcher('*.clj')('clojure/core.clj')).toBe(false);
  });

  it('read the agent filter format as it is: later rules win', () => {
    const filter = JSON.parse(
      readFileSync(
        join(HOLY, 'modules/holy-lambda-babashka-tasks/resources/native-configuration/reflections-filters.json'),
        'utf8',
      ),
    );
    const { rules, findings } = parseRuleFile(filter, 'reflections-filters.json');
    expect(findings).toEqual([]);
    const set = new ConfigBuilder();
    for (const name of ['clojure.lang.RT', 'clojure.lang.Reflector', 'app.Handler'])
      set.addType('reflection', { type: { kind: 'class', name } });
    const r = prune(set.build(), { rules });
    expect(r.set.reflection.map((t) => (t.type.kind === 'class' ? t.type.name : ''))).toEqual([
      'app.Handler',
      'clojure.lang.Reflector',
    ]);
    expect(r.removed).toEqual([
      {
        section: 'reflection',
        entry: 'clojure.lang.RT',
        rule: 'reflections-filters.json/rules/0',
        reason: 'excludeClasses clojure.** (reflections-filters.json)',
        whole: true,
      },
    ]);
  });

  it('report rule files that cannot work, with the place', () => {
    const bad = parseRuleFile(
      {
        rules: [
          { excludeRegex: '(a' },
          { includeClasses: 'a.*.b' },
          { excludeClasses: 'x', includeRegex: 'y' },
          { exclude: 'z' },
        ],
      },
      'r.jsonc',
    );
    expect(bad.findings.map((f) => `${f.code}@${f.jsonPointer}`)).toEqual(['schema@/rules/3/exclude']);
    const semantic = parseRuleFile(
      { rules: [{ excludeRegex: '(a' }, { includeClasses: 'a.*.b' }, { excludeClasses: 'x', includeRegex: 'y' }] },
      'r.jsonc',
    );
    expect(semantic.findings.map((f) => `${f.code}@${f.jsonPointer}: ${f.message}`)).toEqual([
      'bad-regex@/rules/0/excludeRegex: the regex "(a" does not compile: Unterminated group',
      "schema@/rules/1/includeClasses: 'a.*.b' is not a class filter pattern: '*' and '**' may only stand as the whole last segment (pkg.*, pkg.**)",
      'schema@/rules/2: a rule needs exactly one of includeClasses, excludeClasses, includeRegex, excludeRegex, includeResources, excludeResources; found excludeClasses and includeRegex',
    ]);
  });

  it('keep pinned entries: never removed, added back when missing, each override named', () => {
    const input = new ConfigBuilder();
    input.addType('reflection', { type: { kind: 'class', name: 'clojure.core__init' } });
    input.addType('reflection', { type: { kind: 'class', name: 'clojure.string__init' } });
    const keep = new ConfigBuilder();
    keep.addType('reflection', { type: { kind: 'class', name: 'clojure.core__init' } });
    keep.addResource({ kind: 'glob', value: 'libsqlite-musl.so' });
    const r = prune(input.build(), { rules: rulesOf('clojure'), keep: { source: 'pinned.json', set: keep.build() } });
    expect(r.set.reflection.map((t) => (t.type.kind === 'class' ? t.type.name : ''))).toEqual(['clojure.core__init']);
    expect(r.set.resources.map((x) => x.value)).toEqual(['libsqlite-musl.so']);
    expect(r.kept).toEqual([
      { section: 'reflection', entry: 'clojure.core__init', rule: 'clojure/N1', keep: 'pinned.json' },
    ]);
  });

  it('rewrite Method.canAccess to AccessibleObject (K2)', () => {
    const b = new ConfigBuilder();
    b.addType('reflection', {
      type: { kind: 'class', name: 'java.lang.reflect.Method' },
      methods: [{ name: 'canAccess', params: ['java.lang.Object'], access: 2 }],
    });
    const r = prune(b.build(), { rules: [] });
    expect(r.set.reflection.map((t) => [t.type.kind === 'class' && t.type.name, t.methods.map((m) => m.name)])).toEqual(
      [['java.lang.reflect.AccessibleObject', ['canAccess']]],
    );
    expect(r.rewritten).toHaveLength(1);
  });

  it('remove hidden-class conditions and the entries of the lambda runtime client (default)', () => {
    const hazelcast = loadFile(
      join(CORPUS, 'reachability/legacy-2026-03-13/metadata/com.hazelcast/hazelcast/5.5.0/reflect-config.json'),
      'reflect',
    ).set;
    const r = prune(hazelcast, { rules: rulesOf('default') });
    expect(r.counts.get('hidden-classes/N12.condition')).toBeGreaterThan(100);
    expect(r.set.reflection.some((t) => t.condition.includes('$$Lambda'))).toBe(false);
    const example = loadFile(join(REPO, 'examples/hello-lambda/agent-output/run-1/reflect-config.json'), 'reflect').set;
    const rt = prune(example, { rules: [], subtract: [{ source: 'runtime', set: runtimeSet() }] });
    expect(rt.removed.map((x) => x.entry).sort()).toEqual(['java.util.Collections$UnmodifiableMap', 'sun.misc.Unsafe']);
  });

  // cream's licence is not stated, so it is read from the whole corpus only
  const runtimeLoaded = [
    join(REPO, 'examples/hello-clojure/agent-output/run-1'),
    ...(FULL_CORPUS ? [join(FULL_CORPUS, 'others/borkdude__cream/c5cd1a8/reachability-metadata.json')] : []),
  ];
  it.each(runtimeLoaded)(
    'keeps what runtime-loaded namespaces need with the bundled rule file (K10): %s',
    async (path) => {
      const cream = await loadPath(path);
      const text = readFileSync(join(REPO, 'examples/rules/runtime-namespaces.jsonc'), 'utf8');
      const parsed = parseJsonText(text, 'runtime-namespaces.jsonc', true);
      if (!parsed.ok) throw new Error(parsed.finding.message);
      const keepRules = parseRuleFile(parsed.value, 'runtime-namespaces.jsonc');
      expect(keepRules.findings).toEqual([]);
      const inits = cream.reflection.filter((t) => t.type.kind === 'class' && t.type.name.endsWith('__init'));
      const cljResources = cream.resources.filter((x) => /\.clj$|__init\.class$/.test(x.value));
      expect(inits.length).toBeGreaterThan(10);
      const plain = prune(cream, { rules: rulesOf('clojure') }).set;
      expect(plain.reflection.filter((t) => t.type.kind === 'class' && t.type.name.endsWith('__init'))).toEqual([]);
      const kept = prune(cream, { rules: [...rulesOf('clojure'), ...keepRules.rules] }).set;
      expect(kept.reflection.filter((t) => t.type.kind === 'class' && t.type.name.endsWith('__init'))).toEqual(inits);
      expect(kept.resources.filter((x) => /\.clj$|__init\.class$/.test(x.value))).toEqual(cljResources);
    },
  );
});

function runtimeSet(): ConfigSet {
  return loadFile(
    join(
      CORPUS,
      'others/aws__aws-lambda-java-libs/e68cbb1c/aws-lambda-java-runtime-interface-client/src/main/resources/META-INF/native-image/com.amazonaws/aws-lambda-java-runtime-interface-client/reflect-config.json',
    ),
    'reflect',
  ).set;
}
