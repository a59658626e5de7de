/**
 * Findings are plain data. They carry a JSON pointer into the file they are
 * about; `file:line:col` is worked out only when they are rendered.
 */

export type Severity = 'error' | 'warning' | 'info';

export const FINDING_CODES = {
  'json-syntax': { severity: 'error', summary: 'the file is not valid JSON' },
  'json-bom': { severity: 'error', summary: 'the file starts with a UTF-8 byte order mark, which native-image rejects' },
  'json-comment': { severity: 'error', summary: 'comments are not allowed in a .json metadata file' },
  'wrong-type': { severity: 'error', summary: 'a value has the wrong JSON type' },
  'missing-key': { severity: 'error', summary: 'a required key is missing' },
  'ignored-key': { severity: 'warning', summary: 'a key that native-image ignores' },
  'schema': { severity: 'error', summary: 'the file does not satisfy the JSON Schema for its format' },
  'schema-legacy-form': { severity: 'warning', summary: 'an old form native-image still reads but no current schema allows' },
  'bad-class-name': { severity: 'error', summary: 'a class name that cannot name any class' },
  'hidden-class': { severity: 'warning', summary: 'a hidden class (lambda or /0x name) that can never be registered' },
  'hidden-class-condition': { severity: 'warning', summary: 'a condition on a hidden class, which can never be reached' },
  'wrong-condition-key': { severity: 'error', summary: 'the condition key does not fit the file format' },
  'empty-condition': { severity: 'warning', summary: 'a condition without a type, read as no condition' },
  'duplicate-entry': { severity: 'warning', summary: 'the same entry appears more than once' },
  'duplicate-member': { severity: 'warning', summary: 'the same field or method appears more than once in one entry' },
  'bad-regex': { severity: 'error', summary: 'a resource pattern that does not compile as a regular expression' },
  'empty-proxy': { severity: 'warning', summary: 'a proxy with no interfaces, which registers nothing' },
  'duplicate-type': { severity: 'warning', summary: 'the same registration repeated under several conditions in a file that also has unconditional entries' },
  'bad-member-name': { severity: 'error', summary: 'a field or method name that cannot name any member' },
  'unknown-file': { severity: 'error', summary: 'a file whose metadata kind cannot be told' },
  'no-metadata': { severity: 'error', summary: 'no metadata file was found' },
  'unreadable': { severity: 'error', summary: 'the file cannot be read' },
  'too-large': { severity: 'error', summary: 'the file is larger than the configured limit' },
  'deprecated': { severity: 'info', summary: 'a form that still works but is deprecated' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

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

export function finding(code: FindingCode, file: string, jsonPointer: string, message: string, offset?: number): Finding {
  const f: Finding = { code, severity: FINDING_CODES[code].severity, file, jsonPointer, message };
  return offset === undefined ? f : { ...f, offset };
}

export function pointerAppend(pointer: string, token: string | number): string {
  if (typeof token === 'number' || (token.indexOf('~') < 0 && token.indexOf('/') < 0)) return pointer + '/' + token;
  return pointer + '/' + token.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
