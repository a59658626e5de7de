/**
 * What GraalVM says about `Args` options found in native-image.properties: experimental
 * `-H:` options, deprecated and removed ones, with the version and the source that say so, the
 * replacement, and what `write --fix` may put in their place. Only what GraalVM's sources,
 * changelog or maintainers confirm is here; the README's packaging table is this table.
 *
 * Sources (github.com/oracle/graal unless noted):
 * - CL: substratevm/CHANGELOG.md (GR numbers per release)
 * - CF: substratevm/src/com.oracle.svm.core/src/com/oracle/svm/core/configure/ConfigurationFiles.java
 *   (the version with @OptionMigrationMessage, GR-47922 / oracle/graal#7720)
 * - RF: substratevm/src/com.oracle.svm.hosted/src/com/oracle/svm/hosted/ResourcesFeature.java @004bdc55
 * - NativeImageOptions.java: substratevm/src/com.oracle.svm.hosted/src/com/oracle/svm/hosted/NativeImageOptions.java @01a06a41
 * - SO: substratevm/src/com.oracle.svm.core/src/com/oracle/svm/core/SubstrateOptions.java @00eaa8ea
 * - VMInspectionOptions.java: substratevm/src/com.oracle.svm.core/src/com/oracle/svm/core/VMInspectionOptions.java @0adb3aa6
 */

/** One `Args` token, split into the parts the rules look at. */
export interface ParsedArg {
  readonly raw: string;
  /** `-H:` hosted option, `--` API option, anything else. */
  readonly form: 'hosted' | 'api' | 'other';
  readonly name: string;
  /** `+` or `-` of a boolean hosted option. */
  readonly sign?: '+' | '-';
  /** What follows `=`; undefined when there is no `=`. */
  readonly value?: string;
}

/** One Args option split into its form, name, sign and value (`-H:+Foo=bar`, `--foo=bar`). */
export function parseArg(raw: string): ParsedArg {
  const hosted = /^-H:([+-])?([A-Za-z0-9_]+)(?:=(.*))?$/s.exec(raw);
  if (hosted) {
    return {
      raw,
      form: 'hosted',
      name: hosted[2]!,
      ...(hosted[1] ? { sign: hosted[1] as '+' | '-' } : {}),
      ...(hosted[3] !== undefined ? { value: hosted[3] } : {}),
    };
  }
  const api = /^--([a-z0-9][a-z0-9-]*)(?:=(.*))?$/s.exec(raw);
  if (api) return { raw, form: 'api', name: api[1]!, ...(api[2] !== undefined ? { value: api[2] } : {}) };
  return { raw, form: 'other', name: raw };
}

export type OptionCode = 'experimental-option' | 'deprecated-option' | 'removed-option';

export interface OptionFact {
  /** How the README names the option. */
  readonly id: string;
  readonly code: OptionCode;
  readonly applies: (a: ParsedArg) => boolean;
  /** The GraalVM version from which the finding holds. */
  readonly since: string;
  /** Where that is said. */
  readonly source: string;
  /** What the option does now, and what to write instead. */
  readonly advice: (a: ParsedArg) => string;
  /** What `write --fix` puts in its place (`[]` drops it); undefined: left for a person. */
  readonly fix?: (a: ParsedArg) => readonly string[] | undefined;
  /** Said by `write --fix` when it applies the fix (instead of the advice). */
  readonly fixNote?: string | ((a: ParsedArg) => string | undefined);
}

/** The warning GraalVM for JDK 21 introduced for every `-H:` option not declared stable. */
export const EXPERIMENTAL_SINCE = 'GraalVM for JDK 21 (23.1)';
export const EXPERIMENTAL_SOURCE = 'substratevm/CHANGELOG.md GR-47647';

const hosted =
  (name: string, sign?: '+' | '-') =>
  (a: ParsedArg): boolean =>
    a.form === 'hosted' && a.name === name && (sign === undefined || a.sign === sign);
const api =
  (name: string) =>
  (a: ParsedArg): boolean =>
    a.form === 'api' && a.name === name;
const either =
  (...tests: ((a: ParsedArg) => boolean)[]) =>
  (a: ParsedArg): boolean =>
    tests.some((t) => t(a));
const drop = (): readonly string[] => [];

export const OPTION_FACTS: readonly OptionFact[] = [
  // -- experimental -H: options with a stable replacement --------------------------------------
  {
    id: '-H:IncludeResources',
    code: 'experimental-option',
    applies: hosted('IncludeResources'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; ResourcesFeature.java's migration message; oracle/graal#7354`,
    advice: () =>
      'use a resource-config.json in META-INF/native-image/<groupId>/<artifactId>/ instead (a "resources" "includes" pattern, or a "globs" entry on GraalVM for JDK 23 and later)',
    // write --fix turns it into resource-config.json itself (see fix.ts)
  },
  {
    id: '-H:IncludeResourceBundles',
    code: 'experimental-option',
    applies: hosted('IncludeResourceBundles'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; LocalizationFeature.Options.IncludeResourceBundles has no stable declaration`,
    advice: () => 'use a "bundles" entry of resource-config.json in META-INF/native-image/<groupId>/<artifactId>/',
  },
  {
    id: '-H:ExcludeResources',
    code: 'experimental-option',
    applies: hosted('ExcludeResources'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; ResourcesFeature.java declares it without stability`,
    advice: () => 'use "excludes" in resource-config.json, or leave the resources out of the includes',
  },
  {
    id: '-H:ConfigurationResourceRoots',
    code: 'experimental-option',
    applies: hosted('ConfigurationResourceRoots'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; ConfigurationFiles.java declares only ConfigurationFileDirectories stable`,
    advice: () =>
      'put the metadata files under their standard names in META-INF/native-image/<groupId>/<artifactId>/, which native-image reads by itself',
  },
  {
    id: '-H:Name',
    code: 'experimental-option',
    applies: hosted('Name'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; SubstrateOptions.java: Name's API option is -o`,
    advice: (a) => `use the ImageName key (ImageName = ${a.value ?? '<name>'}) or -o on the command line`,
  },
  {
    id: '-H:EnableURLProtocols',
    code: 'experimental-option',
    applies: hosted('EnableURLProtocols'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; SubstrateOptions.java: its API option is --enable-url-protocols`,
    advice: (a) => `use --enable-url-protocols=${a.value ?? ''}`,
    fix: (a) => (a.value ? [`--enable-url-protocols=${a.value}`] : undefined),
  },
  {
    id: '-H:+StaticExecutableWithDynamicLibC',
    code: 'experimental-option',
    applies: hosted('StaticExecutableWithDynamicLibC'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; substratevm/CHANGELOG.md GR-51086 (GraalVM for JDK 23 adds --static-nolibc as its replacement)`,
    advice: () => 'use --static-nolibc (GraalVM for JDK 23 and later), on the command line rather than in a library',
  },
  {
    id: '-H:±JNI',
    code: 'experimental-option',
    applies: hosted('JNI'),
    since: EXPERIMENTAL_SINCE,
    source: `${EXPERIMENTAL_SOURCE}; SubstrateOptions.java: JNI is true by default`,
    advice: (a) =>
      a.sign === '-'
        ? 'JNI support is on by default; turning it off belongs on the command line'
        : 'JNI support is on by default: remove it',
    fix: (a) => (a.sign === '+' ? [] : undefined),
  },
  {
    id: '-H:+BuildOutputColorful',
    code: 'experimental-option',
    applies: hosted('BuildOutputColorful'),
    since: EXPERIMENTAL_SINCE,
    source: 'substratevm/CHANGELOG.md GR-47647: --color supersedes the experimental -H:+BuildOutputColorful',
    advice: () => 'use --color on the command line; a library should not set it',
  },
  // -- deprecated ------------------------------------------------------------------------------
  {
    id: '-H:±AllowVMInspection',
    code: 'deprecated-option',
    applies: hosted('AllowVMInspection'),
    since: 'GraalVM 22.3',
    source: 'substratevm/CHANGELOG.md GR-40264; VMInspectionOptions.java: "Please use \'--enable-monitoring\'"',
    advice: (a) =>
      a.sign === '-'
        ? 'monitoring is off by default: remove it'
        : 'use --enable-monitoring with the features needed (e.g. --enable-monitoring=heapdump,jfr); -H:+AllowVMInspection meant --enable-monitoring=all',
    fix: (a) => (a.sign === '-' ? [] : a.sign === '+' ? ['--enable-monitoring=all'] : undefined),
    fixNote: (a) =>
      a.sign === '+'
        ? '-H:+AllowVMInspection meant --enable-monitoring=all (VMInspectionOptions.java); consider naming only the features needed'
        : undefined,
  },
  {
    id: '-H:+DumpThreadStacksOnSignal',
    code: 'deprecated-option',
    applies: hosted('DumpThreadStacksOnSignal'),
    since: 'GraalVM for JDK 22 (24.0)',
    source:
      'substratevm/CHANGELOG.md GR-49221; VMInspectionOptions.java: "Please use \'--enable-monitoring=threaddump\'"',
    advice: () => 'use --enable-monitoring=threaddump',
  },
  {
    id: '--enable-monitoring (no value)',
    code: 'deprecated-option',
    applies: (a) => api('enable-monitoring')(a) && (a.value === undefined || a.value === ''),
    since: 'GraalVM 23.0 (GraalVM for JDK 17 and 20)',
    source: 'substratevm/CHANGELOG.md GR-42964; VMInspectionOptions.java: "without an argument is deprecated"',
    advice: () => 'name the features: --enable-monitoring=heapdump,jfr,jvmstat (no value still means all)',
  },
  {
    id: '--report-unsupported-elements-at-runtime',
    code: 'deprecated-option',
    applies: either(api('report-unsupported-elements-at-runtime'), hosted('ReportUnsupportedElementsAtRuntime', '+')),
    since: 'GraalVM for JDK 23 (24.1)',
    source:
      'substratevm/CHANGELOG.md GR-43837 ("now enabled by default and the option is deprecated"); NativeImageOptions.java: "The use of unsupported elements is always reported at run time"',
    advice: () => 'it is the default: remove it',
    fix: drop,
    fixNote:
      'the default since GraalVM for JDK 23; older GraalVMs report unsupported elements at build time without it',
  },
  {
    id: '--allow-incomplete-classpath',
    code: 'deprecated-option',
    applies: either(api('allow-incomplete-classpath'), hosted('AllowIncompleteClasspath', '+')),
    since: 'GraalVM 22.1',
    source:
      'substratevm/CHANGELOG.md GR-36905; NativeImageOptions.java: "Allowing an incomplete classpath is now the default"',
    advice: () =>
      'it is the default: remove it (--link-at-build-time reports linking errors at build time for a class or package)',
    fix: drop,
  },
  {
    id: '--enable-all-security-services',
    code: 'deprecated-option',
    applies: either(api('enable-all-security-services'), hosted('EnableAllSecurityServices', '+')),
    since: 'GraalVM 21.1',
    source:
      'oracle/graal#3258 ("deprecated and it becomes a no-op"; the static analysis finds the security services); SubstrateOptions.java: deprecated = true',
    advice: () => 'it has no effect: remove it',
    fix: drop,
  },
  {
    id: '--configure-reflection-metadata',
    code: 'deprecated-option',
    applies: api('configure-reflection-metadata'),
    since: 'GraalVM 23.0',
    source: 'SubstrateOptions.java: ConfigureReflectionMetadata is deprecated and true by default',
    advice: () => 'it is the default: remove it',
    fix: drop,
  },
  {
    id: '--strict-image-heap',
    code: 'deprecated-option',
    applies: either(api('strict-image-heap'), hosted('StrictImageHeap', '+')),
    since: 'GraalVM for JDK 22 (24.0)',
    source: 'substratevm/CHANGELOG.md GR-48612 (default, deprecated); GR-51520 (no effect from GraalVM for JDK 23)',
    advice: () => 'it is the default: remove it',
    fix: drop,
    fixNote: 'the default since GraalVM for JDK 22',
  },
  {
    id: '-H:±ParseOnce, -H:±ParseOnceJIT, -H:±InlineBeforeAnalysis',
    code: 'deprecated-option',
    applies: either(hosted('ParseOnce'), hosted('ParseOnceJIT'), hosted('InlineBeforeAnalysis')),
    since: 'GraalVM for JDK 22 (24.0)',
    source: 'substratevm/CHANGELOG.md GR-48579 ("deprecated and no longer have any effect")',
    advice: () => 'it has no effect: remove it',
    fix: drop,
  },
  {
    id: '-H:NumberOfAnalysisThreads',
    code: 'deprecated-option',
    applies: hosted('NumberOfAnalysisThreads'),
    since: 'GraalVM for JDK 21 (23.1), which added --parallelism',
    source:
      'NativeImageOptions.java: "Deprecated, option no longer has any effect ... Please use \'--parallelism\' instead"; substratevm/CHANGELOG.md GR-46392',
    advice: () => 'it has no effect: use --parallelism on the command line',
  },
  {
    id: '-H:+NativeArchitecture',
    code: 'deprecated-option',
    applies: hosted('NativeArchitecture', '+'),
    since: 'GraalVM 23.0, which added -march',
    source: 'NativeImageOptions.java: "Please use \'-march=native\' instead"; substratevm/CHANGELOG.md GR-44110',
    advice: () => 'use -march=native, on the command line: a library cannot know the machine it will run on',
  },
  {
    id: '--delay-class-initialization-to-runtime',
    code: 'deprecated-option',
    applies: api('delay-class-initialization-to-runtime'),
    since: 'GraalVM 19.0',
    source:
      'oracle/graal#1211, #1217: "Using a deprecated option --delay-class-initialization-to-runtime. Use --initialize-at-run-time."',
    advice: (a) => `use --initialize-at-run-time=${a.value ?? '<classes>'}`,
    fix: (a) => (a.value ? [`--initialize-at-run-time=${a.value}`] : undefined),
  },
  {
    id: '--rerun-class-initialization-at-runtime',
    code: 'deprecated-option',
    applies: api('rerun-class-initialization-at-runtime'),
    since: 'GraalVM 19.0',
    source:
      'oracle/graal#1211, #1217: "Currently there is no replacement for this option. Try using --initialize-at-run-time"',
    advice: () => 'there is no replacement: use --initialize-at-run-time for the classes',
  },
  // -- refused ---------------------------------------------------------------------------------
  {
    id: '--initialize-at-build-time (no class list)',
    code: 'removed-option',
    applies: (a) => api('initialize-at-build-time')(a) && (a.value === undefined || a.value === ''),
    since: 'GraalVM 23.0 (deprecated since 21.3)',
    source:
      'substratevm/CHANGELOG.md GR-41978 ("Disallow --initialize-at-build-time without arguments"); 21.3 printed "--initialize-at-build-time without arguments has been deprecated" (GoogleCloudPlatform/native-image-support-java#252)',
    advice: () =>
      'name the packages or classes (--initialize-at-build-time=com.example); for Clojure, clj-easy/graal-build-time registers the namespaces',
  },
  {
    id: '-H:±TraceClassInitialization',
    code: 'removed-option',
    applies: (a) => hosted('TraceClassInitialization')(a) && a.sign !== undefined,
    since: 'GraalVM 20.3',
    source:
      'SubstrateOptions.java: TraceClassInitialization is a class list (API option --trace-class-initialization); 20.3 refuses "+/-" ("Non-boolean option \'TraceClassInitialization\' can not use +/- prefix", ayltai/spring-graalvm-native-plugin#30)',
    advice: () => 'use --trace-class-initialization=<classes> while debugging, not in a library',
    fix: drop,
    fixNote: 'a debugging option that stops the build as written',
  },
  {
    id: '-H:SubstitutionFiles',
    code: 'removed-option',
    applies: hosted('SubstitutionFiles'),
    since: 'GraalVM 22.0',
    source: 'substratevm/CHANGELOG.md GR-29957 ("Removed the option -H:SubstitutionFiles=")',
    advice: () => 'use @TargetClass substitutions in code',
  },
  {
    id: '-H:±BuildOutputUseNewStyle',
    code: 'removed-option',
    applies: hosted('BuildOutputUseNewStyle'),
    since: 'GraalVM 22.3',
    source:
      'substratevm/CHANGELOG.md GR-35721 ("Remove old build output style and the -H:±BuildOutputUseNewStyle option")',
    advice: () => 'remove it',
    fix: drop,
  },
  {
    id: '-H:±EnableSignalAPI',
    code: 'removed-option',
    applies: hosted('EnableSignalAPI'),
    since: 'GraalVM for JDK 21 (23.1)',
    source: 'substratevm/CHANGELOG.md GR-45994 ("Removed the option -H:EnableSignalAPI")',
    advice: () => 'use the run-time option -XX:±EnableSignalHandling if signal handling must be set explicitly',
  },
  {
    id: '-H:AnalysisStatisticsFile, -H:ImageBuildStatisticsFile',
    code: 'removed-option',
    applies: either(hosted('AnalysisStatisticsFile'), hosted('ImageBuildStatisticsFile')),
    since: 'GraalVM 23.0',
    source:
      'substratevm/CHANGELOG.md GR-43966 ("Remove analysis options -H:AnalysisStatisticsFile and -H:ImageBuildStatisticsFile")',
    advice: () => 'remove it: the statistics go to reports/ next to the image',
    fix: drop,
  },
];

/**
 * Options ni-config checked and does not report: declared stable in GraalVM's sources (so no
 * experimental warning), for the README's "not reported" list.
 */
export const STABLE_OPTIONS: readonly { readonly id: string; readonly source: string }[] = [
  { id: '-H:+ReportExceptionStackTraces', source: 'NativeImageOptions.java: stability = OptionStability.STABLE' },
  { id: '-H:ConfigurationFileDirectories', source: 'ConfigurationFiles.java: stability = OptionStability.STABLE' },
  { id: '-H:Class', source: 'SubstrateOptions.java: stability = OptionStability.STABLE' },
  { id: '-H:+AddAllCharsets', source: 'LocalizationFeature: stability = OptionStability.STABLE' },
];

/** The facts that apply to one token. */
export function factsFor(a: ParsedArg): OptionFact[] {
  return OPTION_FACTS.filter((f) => f.applies(a));
}

/**
 * `-H:<Kind>Configuration{Resources,Files}` options: the file native-image reads by itself for
 * that kind, when there is one (ConfigurationFiles.java's migration messages, ConfigurationFile.java's names).
 */
export const CONFIGURATION_OPTIONS: Readonly<
  Record<string, { readonly standard?: string; readonly deprecated?: string }>
> = {
  ReflectionConfiguration: { standard: 'reflect-config.json' },
  JNIConfiguration: { standard: 'jni-config.json' },
  ResourceConfiguration: { standard: 'resource-config.json' },
  DynamicProxyConfiguration: {
    standard: 'proxy-config.json',
    deprecated:
      'proxy metadata is deprecated since GraalVM for JDK 23 (substratevm/CHANGELOG.md GR-47365): prefer "type": {"proxy": [...]} in the reflection section of reachability-metadata.json',
  },
  SerializationConfiguration: { standard: 'serialization-config.json' },
  PredefinedClassesConfiguration: { standard: 'predefined-classes-config.json' },
  SerializationDenyConfiguration: {},
  ReachabilityMetadata: { standard: 'reachability-metadata.json' },
  Foreign: {},
};

/** `-H:ReflectionConfigurationResources=…` and friends: the option's kind and whether it names resources or files. */
export function configurationOption(a: ParsedArg): { kind: string; resources: boolean } | undefined {
  if (a.form !== 'hosted' || a.value === undefined) return undefined;
  const m = /^(.*?)(Resources|Files)$/.exec(a.name);
  if (!m) return undefined;
  const base = m[1]!;
  if (CONFIGURATION_OPTIONS[base] === undefined) return undefined;
  return { kind: base, resources: m[2] === 'Resources' };
}
