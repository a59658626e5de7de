/** traces.json (trace-output) as caller-precision evidence: what the agent would have kept, by whom. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtinCallerIncluded,
  evidenceKey,
  namespaceLoading,
  onlyNamespaceLoading,
  traceLookupEvidence,
  type LookupEvidence,
} from '../../../src/ops/evidence/index.js';
import { CORPUS, REPO } from '../../helpers.js';

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const callers = (evidence: LookupEvidence): Record<string, string[]> =>
  Object.fromEntries(
    [...evidence.paths].map(([k, paths]) => [
      k.replace('\u0000', ' '),
      // a path is the caller, then the intercepted call; none when the trace names no caller
      [...new Set(paths.map((p) => p[0]?.className ?? ''))],
    ]),
  );

describe('traces.json', () => {
  const file = join(REPO, 'fixtures', 'evidence', 'traces', 'traces.json');
  const r = traceLookupEvidence(json(file), file);

  it('keeps what the agent would turn into config, with the one caller it names', () => {
    expect(r.findings).toEqual([]);
    expect(r.evidence.precision).toBe('caller');
    expect(callers(r.evidence)).toEqual({
      'reflection java.net.URI': ['clojure.lang.RT'],
      'reflection java.util.UUID': ['hello.core__init'],
      'reflection java.lang.Object[]': ['clojure.core$fn__8355'],
      'reflection hello.core$eval123': ['clojure.lang.Compiler$ObjExpr'],
      'reflection java.util.Arrays$ArrayList': ['clojure.lang.Reflector'],
      'reflection java.util.AbstractList': ['clojure.lang.Reflector', 'clojure.lang.RT'],
      // the built-in caller filter lets this one JDK caller through
      'reflection hello.Provider': ['java.util.ServiceLoader$LazyClassPathLookupIterator'],
      // resources are not filtered by caller
      'resources hello/core.clj': ['clojure.lang.RT'],
      'resources hello/config.edn': ['java.lang.Class'],
      'proxies java.lang.Runnable,java.io.Closeable': ['hello.core$handle'],
      'bundles hello.Messages': ['hello.core$handle'],
      'jni hello.Native$Callback': ['hello.Native', ''],
    });
    // not there: the JNI lookup before the live phase, the failed forName, the JDK-internal
    // caller (jdk.internal.reflect.Reflection) and the lookup after the dead phase
  });

  it('approximates namespace loading by the caller', () => {
    const only = (section: 'reflection' | 'resources', name: string) =>
      onlyNamespaceLoading(r.evidence, evidenceKey(section, name));
    expect(only('reflection', 'java.net.URI')).toBe(true);
    expect(only('reflection', 'java.util.UUID')).toBe(true);
    expect(only('reflection', 'java.lang.Object[]')).toBe(true);
    expect(only('reflection', 'hello.core$eval123')).toBe(true);
    expect(only('resources', 'hello/core.clj')).toBe(true);
    expect(only('reflection', 'java.util.Arrays$ArrayList')).toBe(false);
    expect(only('reflection', 'java.util.AbstractList')).toBe(false); // one caller is Reflector
    expect(only('resources', 'hello/config.edn')).toBe(false);
  });

  it('reads a real Clojure trace (holy-lambda, GraalVM 21-era agent)', () => {
    const real = join(CORPUS, 'others', 'FieryCod__holy-lambda', '7484c85', 'modules', 'holy-lambda-babashka-tasks');
    const t = join(real, 'resources', 'native-configuration', 'traces.json');
    const rr = traceLookupEvidence(json(t), t);
    expect(rr.findings).toEqual([]);
    const byCaller = new Map<string, number>();
    for (const [key, paths] of rr.evidence.paths)
      for (const p of paths) {
        const c = p[0]?.className ?? '';
        byCaller.set(c, (byCaller.get(c) ?? 0) + 1);
        // resources are not filtered by caller; everything else passed the built-in caller filter
        if (c !== '' && !key.startsWith('resources')) expect(builtinCallerIncluded(c)).toBe(true);
      }
    expect(byCaller.get('clojure.lang.RT')).toBeGreaterThan(10);
    expect(byCaller.get('clojure.lang.Reflector')).toBeGreaterThan(0);
  });

  it('reads the stand-in agent’s trace-output', () => {
    const t = join(REPO, 'fixtures', 'evidence', 'standin', 'traces.json');
    const rr = traceLookupEvidence(json(t), t);
    expect(rr.findings).toEqual([]);
    expect(callers(rr.evidence)).toMatchObject({
      'reflection probe.Probe': ['probe.Probe'],
      'reflection java.util.UUID': ['probe.Probe'],
    });
    // the stand-in traces the missing resource as a failed lookup, which gives no config
    expect(rr.evidence.paths.has(evidenceKey('resources', 'config/app.edn'))).toBe(false);
  });

  it('has findings for what is not a trace', () => {
    expect(traceLookupEvidence({}, 'traces.json').findings.map((f) => [f.code, f.jsonPointer, f.message])).toEqual([
      ['wrong-type', '', "expected the agent's trace (an array of events), found a object"],
    ]);
    expect(traceLookupEvidence([1, {}], 't.json').findings.map((f) => f.jsonPointer)).toEqual(['/0']);
  });
});

describe('the built-in caller filter and the Clojure loading rules', () => {
  it('filters callers as AccessAdvisor does', () => {
    expect(builtinCallerIncluded('java.lang.Class')).toBe(false);
    expect(builtinCallerIncluded('java.lang.ClassLoader')).toBe(true);
    expect(
      builtinCallerIncluded('java.util.concurrent.atomic.AtomicIntegerFieldUpdater$AtomicIntegerFieldUpdaterImpl'),
    ).toBe(true);
    expect(builtinCallerIncluded('java.util.concurrent.atomic.AtomicReference')).toBe(false);
    expect(builtinCallerIncluded('java.util.concurrent.atomic.sub.X')).toBe(false);
    expect(builtinCallerIncluded('jdk.internal.loader.BootLoader')).toBe(true);
    expect(builtinCallerIncluded('java.security.Provider$Service')).toBe(true);
    expect(builtinCallerIncluded('javax.crypto.Cipher')).toBe(false);
    expect(builtinCallerIncluded('clojure.lang.RT')).toBe(true);
  });

  it('knows namespace loading by a frame with a tree, by the caller without', () => {
    const f = (className: string, method = '') => ({ className, method });
    const forName = f('java.lang.Class', 'forName');
    // from the launcher (a trace from source) or a static initialiser: build time in the image
    expect(
      namespaceLoading(
        [f('clojure.main', 'main'), f('clojure.core$require', 'doInvoke'), f('clojure.lang.RT', 'load'), forName],
        'tree',
      ),
    ).toBe(true);
    expect(
      namespaceLoading(
        [f('a.Handler', '<clinit>'), f('clojure.lang.RT', 'var'), f('clojure.lang.RT', 'load'), forName],
        'tree',
      ),
    ).toBe(true);
    // started by the function's own code (a main, a handler's requiring-resolve): run time in the image too
    expect(namespaceLoading([f('a.B', 'main'), f('clojure.lang.RT', 'load'), forName], 'tree')).toBe(false);
    expect(
      namespaceLoading(
        [
          f('com.amazonaws.services.lambda.runtime.api.client.AWSLambda', 'main'),
          f('hello.core$handle', 'invokeStatic'),
          f('clojure.core$requiring_resolve', 'invokeStatic'),
          f('clojure.lang.RT', 'load'),
          f('x.y__init', '<clinit>'),
          forName,
        ],
        'tree',
      ),
    ).toBe(false);
    // a handler class initialised by the runtime client: its static initialiser runs at build time
    expect(
      namespaceLoading(
        [
          f('com.amazonaws.services.lambda.runtime.api.client.AWSLambda', 'main'),
          f('java.lang.Class', 'forName'),
          f('my.Handler', '<clinit>'),
          f('clojure.lang.RT', 'load'),
          forName,
        ],
        'tree',
      ),
    ).toBe(true);
    expect(namespaceLoading([f('clojure.lang.Compiler', 'load')], 'tree')).toBe(true);
    expect(namespaceLoading([f('x.y__init', '<clinit>'), f('java.lang.Class', 'forName')], 'tree')).toBe(true);
    expect(namespaceLoading([f('x.y__init', 'load')], 'tree')).toBe(false);
    expect(namespaceLoading([f('clojure.lang.RT', 'classForName')], 'tree')).toBe(false);
    expect(
      namespaceLoading([f('hello.core$handle', 'invokeStatic'), f('clojure.lang.Reflector', 'getMethods')], 'tree'),
    ).toBe(false);
    for (const c of [
      'clojure.lang.RT',
      'clojure.lang.Compiler',
      'clojure.lang.Compiler$InstanceMethodExpr',
      'hello.core__init',
      'clojure.core$fn__8355',
    ])
      expect(namespaceLoading([f(c), f('java.lang.Class', 'forName')], 'caller')).toBe(true);
    for (const c of [
      'clojure.lang.Reflector',
      'clojure.lang.Compiler$CompilerException',
      'hello.core$fn__12',
      'clojure.core$fn__x',
    ])
      expect(namespaceLoading([f(c), f('java.lang.Class', 'forName')], 'caller')).toBe(false);
    expect(namespaceLoading([], 'caller')).toBe(false);
    // into-array makes its array through RT while the function runs
    expect(namespaceLoading([f('clojure.lang.RT'), f('java.lang.reflect.Array', 'newInstance')], 'caller')).toBe(false);
  });
});
