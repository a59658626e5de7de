/**
 * JVM type names in the two spellings GraalVM accepts: descriptor form (`[B`,
 * `[Ljava.lang.Object;`) and Java source form (`byte[]`, `java.lang.Object[]`).
 * The model always holds the Java form; it is what GraalVM's own printers emit.
 */

const PRIMITIVE_DESCRIPTORS: Readonly<Record<string, string>> = {
  Z: 'boolean',
  B: 'byte',
  C: 'char',
  S: 'short',
  I: 'int',
  J: 'long',
  F: 'float',
  D: 'double',
};

/**
 * Normalises a class name to Java source form. Names that are not array
 * descriptors are returned unchanged, so a malformed name survives to be
 * reported by validation rather than silently rewritten.
 */
export function normaliseTypeName(name: string): string {
  if (name.length === 0 || name.charCodeAt(0) !== 0x5b /* [ */) return name;
  let dims = 0;
  while (dims < name.length && name.charCodeAt(dims) === 0x5b) dims++;
  const rest = name.slice(dims);
  let element: string | undefined;
  if (rest.length === 1) {
    element = PRIMITIVE_DESCRIPTORS[rest];
  } else if (rest.startsWith('L') && rest.endsWith(';') && rest.length > 2) {
    element = rest.slice(1, -1).replaceAll('/', '.');
  }
  if (element === undefined) return name;
  return element + '[]'.repeat(dims);
}

const PRIMITIVES = new Set(['boolean', 'byte', 'char', 'short', 'int', 'long', 'float', 'double', 'void']);

/**
 * Why a (normalised) class name can never name a class, or undefined when it is well formed.
 * The check is the JVM's, not Java's: binary names may hold characters no Java source allows
 * (Scala's `$colon$colon`, `package-info`), but never an empty segment, `;`, `[` outside the
 * array suffix, or `/`; white space is legal but in practice always a typo.
 */
const PLAIN_NAME = /^[A-Za-z_$][\w$]*(?:\.[\w$-]+)*(?:\[\])*$/;

/**
 * Whether a (normalised) name is a plain dotted identifier that no check of this module has
 * anything to say about: well formed, not hidden, no `,`, `(` or `*` that could blur a method
 * signature. The lean reader takes such names as they are and leaves every other name to the
 * careful one.
 */
export function isPlainClassName(name: string): boolean {
  return PLAIN_NAME.test(name) && !name.startsWith('void[') && name.indexOf('$$Lambda') < 0;
}

/** Whether a member name is one no check has anything to say about (the lean reader's test). */
export function isPlainMemberName(name: string, kind: 'field' | 'method'): boolean {
  return PLAIN_MEMBER.test(name) || (kind === 'method' && name === '<init>');
}

const PLAIN_MEMBER = /^[\w$]+$/;

/** Names already found well formed; names repeat a lot (java.lang.String, int[] ...). */
const wellFormed = new Set<string>();

/** Why a name cannot name a class (JVM rules), or undefined when it can. */
export function classNameProblem(name: string): string | undefined {
  if (wellFormed.has(name)) return undefined;
  // Nearly every name is plain ASCII dotted identifiers: settle those with one test.
  if (PLAIN_NAME.test(name) && !name.startsWith('void[')) {
    if (wellFormed.size > 200_000) wellFormed.clear();
    wellFormed.add(name);
    return undefined;
  }
  if (name.length === 0) return 'the name is empty';
  if (name !== name.trim()) return 'the name has leading or trailing white space';
  if (/\s/u.test(name)) return 'the name contains white space';
  if (name.includes('/')) {
    return name.includes('/0x')
      ? undefined // hidden classes are reported by their own check
      : `'/' is not a package separator in a class name (expected '${name.replaceAll('/', '.')}')`;
  }
  if (name.startsWith('[')) return 'malformed array descriptor (expected e.g. [B or [Ljava.lang.String;)';
  const element = name.replace(/(?:\[\])+$/, '');
  if (PRIMITIVES.has(element))
    return element === 'void' && element !== name ? "'void' cannot be an array element" : undefined;
  if (element.includes('[') || element.includes(']')) return "'[' and ']' may only end the name as array brackets";
  if (element.includes(';')) return "';' cannot appear in a class name";
  if (element.split('.').some((segment) => segment.length === 0))
    return 'the name has an empty segment (a leading, trailing or doubled dot)';
  return undefined;
}

/** Why a field or method name cannot name a member (JVM rules for unqualified names). */
export function memberNameProblem(name: string, kind: 'field' | 'method'): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (/[.;[\/]/.test(name))
    return `'${name}' cannot name a ${kind}: '.', ';', '[' and '/' are not allowed in member names`;
  if (kind === 'method' && /[<>]/.test(name) && name !== '<init>') {
    return name === '<clinit>'
      ? 'static initializers (<clinit>) cannot be registered'
      : `'${name}' is not a method name (constructors are '<init>')`;
  }
  if (name !== name.trim()) return `'${name}' has leading or trailing white space`;
  return undefined;
}

/** Hidden classes (lambda forms, `Lookup.defineHiddenClass`) have unstable names that can never be registered or reached. */
export function isHiddenClassName(name: string): boolean {
  return (name.indexOf('$$') >= 0 && name.includes('$$Lambda')) || name.includes('/0x');
}
