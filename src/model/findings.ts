/**
 * Findings are plain data. They carry a JSON pointer into the file they are
 * about; `file:line:col` is worked out only when they are rendered.
 */

export type Severity = 'error' | 'warning' | 'info';

/**
 * Every finding code. `blocking`: part of the input could not be read at all, so merge and
 * convert refuse to write (validate just reports). Other findings are about what the input says;
 * merge and convert carry it through as it is and report them.
 */
export const FINDING_CODES = {
  'json-syntax': { severity: 'error', blocking: true, summary: 'the file is not valid JSON' },
  'json-bom': {
    severity: 'error',
    blocking: true,
    summary: 'the file starts with a UTF-8 byte order mark, which native-image rejects',
  },
  'json-comment': { severity: 'error', blocking: true, summary: 'comments are not allowed in a .json metadata file' },
  'wrong-type': { severity: 'error', blocking: true, summary: 'a value has the wrong JSON type' },
  'missing-key': { severity: 'error', blocking: true, summary: 'a required key is missing' },
  'ignored-key': { severity: 'warning', blocking: false, summary: 'a key that native-image ignores' },
  schema: { severity: 'error', blocking: true, summary: 'the file does not satisfy the JSON Schema for its format' },
  'schema-legacy-form': {
    severity: 'warning',
    blocking: false,
    summary: 'an old form native-image still reads but no current schema allows',
  },
  'bad-class-name': { severity: 'error', blocking: false, summary: 'a class name that cannot name any class' },
  'hidden-class': {
    severity: 'warning',
    blocking: false,
    summary: 'a hidden class (lambda or /0x name) that can never be registered',
  },
  'hidden-class-condition': {
    severity: 'warning',
    blocking: false,
    summary: 'a condition on a hidden class, which can never be reached',
  },
  'wrong-condition-key': {
    severity: 'error',
    blocking: false,
    summary: 'the condition key does not fit the file format',
  },
  'empty-condition': {
    severity: 'warning',
    blocking: false,
    summary: 'a condition without a type, read as no condition',
  },
  'duplicate-entry': { severity: 'warning', blocking: false, summary: 'the same entry appears more than once' },
  'duplicate-member': {
    severity: 'warning',
    blocking: false,
    summary: 'the same field or method appears more than once in one entry',
  },
  'bad-regex': {
    severity: 'error',
    blocking: false,
    summary: 'a resource pattern that does not compile as a regular expression',
  },
  'empty-proxy': {
    severity: 'warning',
    blocking: false,
    summary: 'a proxy with no interfaces, which registers nothing',
  },
  'duplicate-type': {
    severity: 'warning',
    blocking: false,
    summary: 'the same registration repeated under several conditions in a file that also has unconditional entries',
  },
  'bad-member-name': {
    severity: 'error',
    blocking: false,
    summary: 'a field or method name that cannot name any member',
  },
  'unknown-file': { severity: 'error', blocking: true, summary: 'a file whose metadata kind cannot be told' },
  'no-metadata': { severity: 'error', blocking: true, summary: 'no metadata file was found' },
  'no-match': { severity: 'error', blocking: true, summary: 'a glob matched no file' },
  unreadable: { severity: 'error', blocking: true, summary: 'the file cannot be read' },
  'too-large': { severity: 'error', blocking: true, summary: 'the file is larger than the configured limit' },
  deprecated: { severity: 'info', blocking: false, summary: 'a form that still works but is deprecated' },
  'not-metadata': {
    severity: 'error',
    blocking: true,
    summary: 'a file whose name and shape are not those of any metadata file',
  },
  // native-image.properties and the layout (the packaging lints)
  'experimental-option': {
    severity: 'warning',
    blocking: false,
    summary: 'an Args option that native-image calls experimental (GraalVM for JDK 21 and later warn about it)',
  },
  'deprecated-option': {
    severity: 'warning',
    blocking: false,
    summary: 'an Args option that GraalVM deprecated or that no longer has an effect',
  },
  'removed-option': { severity: 'error', blocking: false, summary: 'an Args option that native-image refuses' },
  'nonstandard-name': {
    severity: 'warning',
    blocking: false,
    summary: 'a metadata file under a name native-image does not read by itself',
  },
  layout: {
    severity: 'warning',
    blocking: false,
    summary: 'a file outside the META-INF/native-image/<groupId>/<artifactId>/ layout',
  },
  // --profile reachability-repo: the GraalVM Reachability Metadata Repository's own checks
  'repo-layout': {
    severity: 'error',
    blocking: false,
    summary: 'not a metadata/<groupId>/<artifactId>/<version>/ tree of the metadata repository',
  },
  'repo-index': {
    severity: 'error',
    blocking: false,
    summary: "the artifact's index.json is missing, malformed or has no entry for a metadata version",
  },
  'repo-file': {
    severity: 'error',
    blocking: false,
    summary: 'a metadata version directory holds a file other than reachability-metadata.json, or lacks it',
  },
  'repo-schema': {
    severity: 'error',
    blocking: false,
    summary: 'reachability-metadata.json uses what reachability-metadata-schema-v1.2.0.json does not allow',
  },
  'repo-unconditional': {
    severity: 'warning',
    blocking: false,
    summary:
      "an entry without a typeReached condition (the repository's rule, which its current checker no longer enforces)",
  },
  'repo-condition': {
    severity: 'error',
    blocking: false,
    summary: "a typeReached condition on java.lang or outside the index's allowed-packages",
  },
  'repo-duplicate': { severity: 'error', blocking: false, summary: 'the same entry twice in one section' },
} as const satisfies Record<string, { severity: Severity; blocking: boolean; summary: string }>;

export type FindingCode = keyof typeof FINDING_CODES;

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** File the finding is about, as given by the user (or `<stdin>`). */
  readonly file: string;
  /** RFC 6901 pointer into the file's JSON; '' for the whole file. */
  readonly jsonPointer: string;
  readonly message: string;
  /** Byte-independent character offset, when it is known without the pointer (syntax errors). */
  readonly offset?: number;
}

/** A finding of a code, with the severity its code has. */
export function finding(
  code: FindingCode,
  file: string,
  jsonPointer: string,
  message: string,
  offset?: number,
): Finding {
  const f: Finding = { code, severity: FINDING_CODES[code].severity, file, jsonPointer, message };
  return offset === undefined ? f : { ...f, offset };
}

/** A JSON pointer one token deeper (RFC 6901 escapes). */
export function pointerAppend(pointer: string, token: string | number): string {
  if (typeof token === 'number' || (token.indexOf('~') < 0 && token.indexOf('/') < 0)) return pointer + '/' + token;
  return pointer + '/' + token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The tokens of a JSON pointer, unescaped. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** How many findings of each severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Whether the finding means part of the input could not be read at all. */
export function isBlocking(f: Finding): boolean {
  return FINDING_CODES[f.code].blocking;
}
