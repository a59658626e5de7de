/**
 * Built-in prune presets: rules for the noise that docs/noise.md (N1–N18) describes, with the
 * needed look-alikes (K1–K12) left alone. Each rule says why in `reason`, which `--explain`
 * shows. Lookup evidence, where there is some, beats the rules that guess from names.
 */
import type { Rule } from './rules.js';

export interface Preset {
  readonly summary: string;
  readonly rules: readonly Rule[];
  /** Other presets this one consists of. */
  readonly includes?: readonly string[];
  /**
   * Subtract what jars on the class path ship in their own META-INF/native-image (N16):
   * `lambda-runtime` only the AWS Lambda Java runtime interface client's, `classpath` every jar's.
   */
  readonly subtract?: 'lambda-runtime' | 'classpath';
}

const JCA: readonly Rule[] = [
  // K4: JCA/TLS look their providers up by name; named-only entries are needed. Only where the
  // trace has no evidence of the entry: evidence of lookups made while loading namespaces beats it.
  ...[
    'java.security.**',
    'javax.security.**',
    'javax.crypto.**',
    'javax.net.ssl.**',
    'sun.security.**',
    'com.sun.crypto.provider.**',
    'com.sun.net.ssl.**',
  ].map((classes, i): Rule => ({
    id: `jca/K4.${i + 1}`,
    action: 'include',
    sections: ['reflection'],
    classes,
    evidence: 'none',
    reason: 'JCA/TLS providers and key types are looked up by name (K4)',
  })),
];

/**
 * Where the trace has evidence that every lookup of an entry happened while namespaces loaded,
 * the entry is noise whatever its package or shape: loading happens at build time. Last in the
 * preset, so that it decides wherever there is evidence.
 */
const LOADING_EVIDENCE: Rule = {
  id: 'clojure/evidence',
  action: 'exclude',
  sections: ['reflection', 'proxies', 'resources'],
  evidence: 'loading',
  reason: 'looked up only while namespaces loaded (the trace shows every call path), which happens at build time',
};

export const PRESETS = {
  clojure: {
    summary:
      'namespace-loading noise of an AOT-compiled Clojure app initialised at build time (N1-N6, and whatever the trace shows was looked up only while namespaces loaded; reflection and resources only, never serialization)',
    rules: [
      // Excludes run from the most general to the most specific: for each removal, --explain
      // names the most specific rule that made it. None of them removes an entry the trace shows
      // was looked up at run time.
      {
        id: 'clojure/N5',
        action: 'exclude',
        sections: ['reflection'],
        classes: 'clojure.**',
        shape: 'name-only',
        evidence: 'not-runtime',
        reason: 'protocol, record or deftype interface of a Clojure library (N5)',
      },
      {
        id: 'clojure/N5.ns',
        action: 'exclude',
        sections: ['reflection'],
        namespaceMember: true,
        shape: 'name-only',
        evidence: 'not-runtime',
        reason: "protocol, record or deftype interface in a namespace's package (N5)",
      },
      {
        id: 'clojure/N4',
        action: 'exclude',
        sections: ['reflection'],
        classes: 'clojure.lang.**',
        shape: 'name-only',
        evidence: 'not-runtime',
        reason: 'Clojure runtime class named by the runtime itself (N4)',
      },
      {
        id: 'clojure/N4.asm',
        action: 'exclude',
        sections: ['reflection'],
        classes: 'clojure.asm.**',
        shape: 'name-only',
        evidence: 'not-runtime',
        reason: 'Clojure compiler class (N4)',
      },
      {
        id: 'clojure/N1',
        action: 'exclude',
        sections: ['reflection'],
        regex: '.*__init',
        shape: 'name-only',
        evidence: 'not-runtime',
        compiledNamespace: true,
        reason: 'namespace init class, loaded by name when the namespace loads (N1)',
      },
      {
        id: 'clojure/N6',
        action: 'exclude',
        sections: ['reflection'],
        regex: '.*\\$(eval|fn__|reify__)\\d+.*',
        evidence: 'not-runtime',
        reason: 'gensym/eval/fn class: its number changes from run to run (N6)',
      },
      {
        id: 'clojure/N2',
        action: 'exclude',
        sections: ['resources'],
        regex: '.*\\.(clj|cljc|cljs)',
        evidence: 'not-runtime',
        compiledNamespace: true,
        reason: 'namespace source read when the namespace loads (N2)',
      },
      {
        id: 'clojure/N2.init',
        action: 'exclude',
        sections: ['resources'],
        regex: '.*__init\\.class',
        evidence: 'not-runtime',
        compiledNamespace: true,
        reason: 'namespace init class read as a resource when the namespace loads (N2)',
      },
      {
        id: 'clojure/N3',
        action: 'exclude',
        sections: ['resources'],
        resources: 'clojure/version.properties',
        evidence: 'not-runtime',
        reason: 'read by clojure.core init, which runs at build time (N3)',
      },
      ...JCA,
      LOADING_EVIDENCE,
    ],
  },
  launcher: {
    summary: "the JVM launcher's own JNI calls and JDK/GraalVM tooling internals (N10-N11)",
    rules: [
      {
        id: 'launcher/N10.main',
        action: 'exclude',
        sections: ['jni'],
        launcherMain: true,
        reason: 'the launcher calls main(String[]) through JNI (N10)',
      },
      {
        id: 'launcher/N10',
        action: 'exclude',
        sections: ['jni'],
        classes: 'sun.launcher.**',
        reason: 'JVM launcher (N10)',
      },
      {
        id: 'launcher/N10.loader',
        action: 'exclude',
        sections: ['jni'],
        classes: 'java.lang.ClassLoader',
        reason: 'the launcher calls getPlatformClassLoader/loadClass through JNI (N10)',
      },
      {
        id: 'launcher/N10.error',
        action: 'exclude',
        sections: ['jni'],
        classes: 'java.lang.NoSuchMethodError',
        reason: 'the launcher checks for main through JNI (N10)',
      },
      {
        id: 'launcher/N11',
        action: 'exclude',
        sections: ['jni'],
        classes: 'sun.management.**',
        reason: 'JVM management internals (N11)',
      },
      {
        id: 'launcher/N11.graal',
        action: 'exclude',
        sections: ['jni'],
        classes: 'org.graalvm.**',
        reason: 'GraalVM tooling internals (N11)',
      },
    ],
  },
  'hidden-classes': {
    summary:
      'hidden classes ($$Lambda, /0x): unstable names that can never be registered, as types and as conditions (N12)',
    rules: [
      {
        id: 'hidden-classes/N12',
        action: 'exclude',
        sections: ['reflection', 'jni', 'proxies', 'serialization'],
        regex: '.*(\\$\\$Lambda|/0x).*',
        reason: 'hidden class: its name is not stable (N12)',
      },
      {
        id: 'hidden-classes/N12.condition',
        action: 'exclude',
        sections: ['reflection', 'jni', 'proxies', 'serialization', 'resources', 'bundles'],
        regex: '.*(\\$\\$Lambda|/0x).*',
        onCondition: true,
        reason: 'condition on a hidden class: never reached, so the entry never applies (N12)',
      },
    ],
  },
  'class-resources': {
    summary:
      '.class files read as resources (N13), except those real code reads (K6: org/slf4j/impl/StaticLoggerBinder.class)',
    rules: [
      {
        id: 'class-resources/N13',
        action: 'exclude',
        sections: ['resources'],
        regex: '.*\\.class',
        reason: 'class file read as a resource by a class loader or scanner (N13)',
      },
      {
        id: 'class-resources/K6',
        action: 'include',
        sections: ['resources'],
        resources: 'org/slf4j/impl/StaticLoggerBinder.class',
        reason: 'SLF4J 1.x probes for its binding by reading this class file (K6)',
      },
    ],
  },
  'lambda-runtime': {
    summary:
      'entries the AWS Lambda Java runtime interface client on the class path ships in its own META-INF/native-image (N16); needs --classpath',
    rules: [],
    subtract: 'lambda-runtime',
  },
  libraries: {
    summary: 'entries any jar on the class path ships in its own META-INF/native-image (N16); needs --classpath',
    rules: [],
    subtract: 'classpath',
  },
  default: {
    summary: 'the safe ones for any Lambda function: launcher, hidden-classes, class-resources, lambda-runtime',
    rules: [],
    includes: ['launcher', 'hidden-classes', 'class-resources', 'lambda-runtime'],
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/**
 * Classes that libraries look up by name themselves (K5): logging adapters chosen at run time.
 * `--aggressive` keeps them, as it keeps every array type (K12, and arrays made with
 * `Array.newInstance`).
 */
const LOOKED_UP_BY_LIBRARIES = [
  'org.eclipse.jetty.util.log.Slf4jLog',
  'org.eclipse.jetty.util.log.JavaUtilLog',
  'org.eclipse.jetty.util.log.StdErrLog',
  'org.apache.commons.logging.LogFactory',
  'org.apache.commons.logging.impl.**',
];

/**
 * `--aggressive`: name-only JDK and third-party classes go where the trace has no evidence of
 * them (N7, N8). Array types (K12) and classes that libraries look up by name (K5) stay; with
 * evidence, whatever was looked up only while namespaces loaded goes anyway (the clojure
 * preset's evidence rule), primitive arrays (N9) included.
 */
export const AGGRESSIVE_RULES: readonly Rule[] = [
  {
    id: 'aggressive/N7',
    action: 'exclude',
    sections: ['reflection'],
    classes: 'java.**',
    shape: 'name-only',
    evidence: 'none',
    reason: 'JDK class named by :import or a type hint (N7)',
  },
  {
    id: 'aggressive/N7.javax',
    action: 'exclude',
    sections: ['reflection'],
    classes: 'javax.**',
    shape: 'name-only',
    evidence: 'none',
    reason: 'JDK class named by :import or a type hint (N7)',
  },
  {
    id: 'aggressive/N8',
    action: 'exclude',
    sections: ['reflection'],
    regex: '.*',
    shape: 'name-only',
    evidence: 'none',
    reason: 'class named by :import or a type hint (N8)',
  },
  {
    id: 'aggressive/K12',
    action: 'include',
    sections: ['reflection'],
    regex: '.*\\[\\]',
    evidence: 'none',
    reason: 'an array type: into-array and Array.newInstance make them by name (K12, K5)',
  },
  ...LOOKED_UP_BY_LIBRARIES.map((classes, i): Rule => ({
    id: `aggressive/K5.${i + 1}`,
    action: 'include',
    sections: ['reflection'],
    classes,
    evidence: 'none',
    reason: 'a library looks this class up by name itself (K5)',
  })),
  ...JCA,
  LOADING_EVIDENCE,
];

/** Whether a name is a built-in preset. */
export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/** The presets names stand for, expanded (`default` → its members, without itself), in order, once each. */
export function expandPresets(names: readonly PresetName[]): PresetName[] {
  const out: PresetName[] = [];
  const visit = (n: PresetName): void => {
    const p: Preset = PRESETS[n];
    for (const inner of p.includes ?? []) if (isPresetName(inner)) visit(inner);
    // a preset that only groups others (default) is its members, not a preset of its own
    if (p.includes === undefined && !out.includes(n)) out.push(n);
  };
  names.forEach(visit);
  return out;
}
