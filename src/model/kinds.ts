/** The metadata file kinds, their canonical file names and the names they are known by. */

export const FILE_KINDS = {
  reflect: { fileName: 'reflect-config.json', format: 'legacy', aliases: ['reflection-config.json'] },
  jni: { fileName: 'jni-config.json', format: 'legacy', aliases: [] },
  resource: { fileName: 'resource-config.json', format: 'legacy', aliases: ['resources-config.json'] },
  proxy: { fileName: 'proxy-config.json', format: 'legacy', aliases: [] },
  serialization: { fileName: 'serialization-config.json', format: 'legacy', aliases: [] },
  predefined: { fileName: 'predefined-classes-config.json', format: 'legacy', aliases: [] },
  foreign: { fileName: 'foreign-config.json', format: 'legacy', aliases: [] },
  unified: { fileName: 'reachability-metadata.json', format: 'unified', aliases: [] },
} as const satisfies Record<string, { fileName: string; format: 'legacy' | 'unified'; aliases: readonly string[] }>;

export type FileKind = keyof typeof FILE_KINDS;
/** The two on-disk formats. */
export const FORMATS = {
  unified: { summary: 'one reachability-metadata.json (GraalVM for JDK 23 and later)' },
  legacy: { summary: 'the per-kind *-config.json files' },
} as const satisfies Record<string, { summary: string }>;
export type Format = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as Format[];

const BY_NAME = new Map<string, FileKind>();
for (const [kind, info] of Object.entries(FILE_KINDS) as [FileKind, (typeof FILE_KINDS)[FileKind]][]) {
  BY_NAME.set(info.fileName, kind);
  for (const a of info.aliases) BY_NAME.set(a, kind);
}

/** The kinds the lean reader reads (model/parse/lean.ts); the others (small files, in practice) always go to the careful one. */
export const LEAN_KINDS: ReadonlySet<FileKind> = new Set(['unified', 'reflect', 'jni']);

/** Documents of a lean kind from this size (characters; bytes for a file) are parsed in pieces when they can be (ops/load.ts). */
export const PIECEWISE_FROM = 16 * 1024 * 1024;

/**
 * Whether a document of this kind and size is parsed in pieces rather than whole (ops/load.ts);
 * a file that is, io/inputs.ts reads a chunk at a time.
 */
export function readInPieces(kind: FileKind | undefined, size: number, from = PIECEWISE_FROM): kind is FileKind {
  return kind !== undefined && LEAN_KINDS.has(kind) && size >= from;
}

/** The kind a base file name stands for, or undefined for names that are not metadata files. */
export function kindOfFileName(baseName: string): FileKind | undefined {
  return BY_NAME.get(baseName);
}

/**
 * `native-image.properties` options that point at config files (`-H:ReflectionConfigurationResources=${.}/x.json`,
 * `-H:ReflectionConfigurationFiles=...`), so that non-standard file names are found.
 */
export const PROPERTIES_OPTION_KINDS: Readonly<Record<string, FileKind>> = {
  ReflectionConfiguration: 'reflect',
  JNIConfiguration: 'jni',
  ResourceConfiguration: 'resource',
  DynamicProxyConfiguration: 'proxy',
  SerializationConfiguration: 'serialization',
  PredefinedClassesConfiguration: 'predefined',
};

/**
 * Guesses the kind of a document from its shape, for files named outside the conventions
 * (and for stdin). Returns undefined when the shape fits no kind.
 */
export function sniffKind(value: unknown): FileKind | undefined {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (first === undefined) return 'reflect';
    if (Array.isArray(first)) return 'proxy';
    if (first !== null && typeof first === 'object') {
      if ('interfaces' in first) return 'proxy';
      if ('classes' in first) return 'predefined';
      if ('customTargetConstructorClass' in first) return 'serialization';
      if ('name' in first || 'type' in first) return 'reflect';
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    if (['reflection', 'jni', 'serialization', 'foreign', 'comment', 'reason'].some((k) => k in value))
      return 'unified';
    if ('types' in value || 'lambdaCapturingTypes' in value) return 'serialization';
    const r = (value as { resources?: unknown }).resources;
    // unified resources are an array of {glob|bundle}; legacy ones an object or [{pattern}]
    if (Array.isArray(r) && r.some((e) => e !== null && typeof e === 'object' && ('glob' in e || 'bundle' in e)))
      return 'unified';
    if ('resources' in value || 'globs' in value || 'bundles' in value) return 'resource';
    return 'unified';
  }
  return undefined;
}
