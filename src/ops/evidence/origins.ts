/**
 * Lookup evidence from the agent's call trees: `partial-config-with-origins.json`, written with
 * `experimental-conditional-config-part` (the form ni-config uses), and the `<kind>-origins.txt`
 * files of `experimental-configuration-with-origins`. Both hold the call tree of every lookup
 * with the config each node's lookups gave; see docs/evidence.md for the formats.
 */
import { finding, pointerAppend, type Finding } from '../../model/findings.js';
import { AGENT_KINDS, readFragment } from './entries.js';
import { EvidenceBuilder, type CallPath, type Frame, type LookupEvidence } from './types.js';

/** One node's config for one kind: what the agent would have written for the lookups at its path. */
export interface OriginsFragment {
  /** The agent's name for the kind: reflect, jni, resource, proxy, serialization, predefined-classes, foreign. */
  readonly kind: string;
  /** As the agent printed it: the legacy file's form, or the reachability-metadata section's (JDK 23+). */
  readonly value: unknown;
  /** Where it is: a JSON pointer into partial-config-with-origins.json, '' in a text file. */
  readonly pointer: string;
  /** Line (1-based) in a text file; 0 for JSON. */
  readonly line: number;
  readonly path: CallPath;
}

export interface OriginsResult {
  readonly evidence: LookupEvidence;
  readonly findings: Finding[];
  /**
   * Every node's config. In the origins modes the agent writes no config files, so these are
   * the run's config: their union is what config-output-dir would have held.
   */
  readonly fragments: OriginsFragment[];
}

export const PARTIAL_CONFIG_WITH_ORIGINS = 'partial-config-with-origins.json';
const ROOT_KEY = 'configuration-with-origins';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function found(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

interface Pending {
  readonly node: unknown;
  readonly pointer: string;
  readonly parent: Pending | undefined;
  /** undefined for the root, which stands for no frame */
  readonly frame: Frame | undefined;
}

function pathOf(p: Pending): CallPath {
  const frames: Frame[] = [];
  for (let q: Pending | undefined = p; q !== undefined; q = q.parent) if (q.frame !== undefined) frames.push(q.frame);
  return frames.reverse();
}

/**
 * Reads `partial-config-with-origins.json` (already parsed). The tree holds every intercepted
 * call, also those the agent's filters dropped (they have no `config`); each node names a
 * method by class, name and JVM descriptor.
 */
export function partialConfigEvidence(value: unknown, file: string): OriginsResult {
  const findings: Finding[] = [];
  const fragments: OriginsFragment[] = [];
  const builder = new EvidenceBuilder('tree');
  const result = (): OriginsResult => ({ evidence: builder.build(), findings, fragments });
  if (!isObject(value)) {
    findings.push(finding('wrong-type', file, '', `expected the agent's call tree (an object), found ${found(value)}`));
    return result();
  }
  if (!(ROOT_KEY in value)) {
    findings.push(finding('missing-key', file, '', `expected "${ROOT_KEY}", the root of the agent's call tree`));
    return result();
  }
  const stack: Pending[] = [
    { node: value[ROOT_KEY], pointer: pointerAppend('', ROOT_KEY), parent: undefined, frame: undefined },
  ];
  while (stack.length > 0) {
    const p = stack.pop()!;
    const n = p.node;
    if (!isObject(n)) {
      findings.push(finding('wrong-type', file, p.pointer, `expected a call node (an object), found ${found(n)}`));
      continue;
    }
    let frame: Frame | undefined;
    if (p.parent !== undefined) {
      const cls = n.class;
      const method = n.method;
      if (typeof cls !== 'string' || typeof method !== 'string') {
        const key = typeof cls !== 'string' ? 'class' : 'method';
        findings.push(
          n[key] === undefined
            ? finding('missing-key', file, p.pointer, `expected "${key}" in a call node`)
            : finding('wrong-type', file, pointerAppend(p.pointer, key), `expected a string, found ${found(n[key])}`),
        );
        continue;
      }
      frame = builder.frame(cls, method);
    }
    const here: Pending = { ...p, frame };
    if (n.config !== undefined) {
      const at = pointerAppend(p.pointer, 'config');
      if (!isObject(n.config)) {
        findings.push(
          finding('wrong-type', file, at, `expected the node's config (an object), found ${found(n.config)}`),
        );
      } else {
        const path = pathOf(here);
        for (const [kind, v] of Object.entries(n.config)) {
          const pointer = pointerAppend(at, kind);
          readFragment(kind, v, file, pointer, (section, name) => builder.add(section, name, path), findings);
          if (AGENT_KINDS.includes(kind)) fragments.push({ kind, value: v, pointer, line: 0, path });
        }
      }
    }
    const kids = n.methods;
    const at = pointerAppend(p.pointer, 'methods');
    if (kids === undefined) {
      findings.push(finding('missing-key', file, p.pointer, 'expected "methods" (the called methods) in a call node'));
      continue;
    }
    if (!Array.isArray(kids)) {
      findings.push(finding('wrong-type', file, at, `expected the called methods (an array), found ${found(kids)}`));
      continue;
    }
    for (let i = kids.length - 1; i >= 0; i--)
      stack.push({ node: kids[i], pointer: pointerAppend(at, i), parent: here, frame: undefined });
  }
  return result();
}

const BRANCH = ['\u251c\u2500\u2500 ', '\u2514\u2500\u2500 ']; // "├── ", "└── "
const INDENT = ['\u2502   ', '    ']; // "│   ", "    "

/** The agent kind a `<kind>-origins.txt` file is about, from its name; undefined for other names. */
export function originsTextKind(fileName: string): string | undefined {
  const m = /(?:^|[/\\])([a-z-]+)-origins\.txt$/.exec(fileName);
  return m !== null && AGENT_KINDS.includes(m[1]!) ? m[1] : undefined;
}

/**
 * Reads one `<kind>-origins.txt` (HumanReadableConfigurationWithOrigins): a line `root`, then one
 * line per call node that has config of the kind or leads to one, as a tree drawn with
 * `├── `/`└── ` and `│   `/`    `, each `class#method(parameter types)`, followed by ` - ` and the
 * node's config (JSON on one line) where it has any. The kind comes from the file name.
 */
export function originsTextEvidence(text: string, file: string): OriginsResult {
  const findings: Finding[] = [];
  const fragments: OriginsFragment[] = [];
  const builder = new EvidenceBuilder('tree');
  const result = (): OriginsResult => ({ evidence: builder.build(), findings, fragments });
  const kind = originsTextKind(file);
  if (kind === undefined) {
    const combined = /reachability-metadata-origins\.txt$/.test(file);
    findings.push(
      finding(
        'unknown-file',
        file,
        '',
        combined
          ? 'the combined origins file of GraalVM for JDK 23 and later mixes JSON and text and is not read; run the agent with experimental-conditional-config-part and read partial-config-with-origins.json'
          : 'expected a file named <kind>-origins.txt (reflect, jni, proxy, resource, serialization, predefined-classes)',
      ),
    );
    return result();
  }
  const lines = text.split('\n');
  let offset = 0;
  const at = (line: number, message: string, start: number): Finding =>
    finding('wrong-type', file, '', `line ${line}: ${message}`, start);
  if (lines[0] !== 'root') {
    findings.push(at(1, `expected "root", found ${JSON.stringify(lines[0]!.slice(0, 40))}`, 0));
    return result();
  }
  const stack: Frame[] = [];
  offset = lines[0].length + 1;
  for (let i = 1; i < lines.length; offset += lines[i]!.length + 1, i++) {
    const line = lines[i]!;
    if (line === '') continue;
    let pos = 0;
    let depth = 0;
    while (INDENT.some((s) => line.startsWith(s, pos))) {
      pos += 4;
      depth++;
    }
    if (!BRANCH.some((s) => line.startsWith(s, pos)) || depth > stack.length) {
      findings.push(
        at(i + 1, `expected a tree line ("├── class#method(...)"), found ${JSON.stringify(line.slice(0, 40))}`, offset),
      );
      continue;
    }
    pos += 4;
    const hash = line.indexOf('#', pos);
    const open = hash < 0 ? -1 : line.indexOf('(', hash);
    const close = open < 0 ? -1 : line.indexOf(')', open);
    if (close < 0) {
      findings.push(
        at(
          i + 1,
          `expected "class#method(parameter types)", found ${JSON.stringify(line.slice(pos, pos + 40))}`,
          offset + pos,
        ),
      );
      continue;
    }
    stack.length = depth;
    stack.push(builder.frame(line.slice(pos, hash), line.slice(hash + 1, open)));
    const rest = line.slice(close + 1);
    if (rest === '') continue;
    if (!rest.startsWith(' - ')) {
      findings.push(
        at(
          i + 1,
          `expected " - " and the node's config after the method, found ${JSON.stringify(rest.slice(0, 40))}`,
          offset + close + 1,
        ),
      );
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(rest.slice(3));
    } catch {
      findings.push(
        finding('json-syntax', file, '', `line ${i + 1}: the node's config is not valid JSON`, offset + close + 4),
      );
      continue;
    }
    const path: CallPath = stack.slice();
    const local: Finding[] = [];
    readFragment(kind, value, file, '', (section, name) => builder.add(section, name, path), local);
    for (const f of local)
      findings.push({
        ...f,
        jsonPointer: '',
        offset: offset + close + 4,
        message: `line ${i + 1}: ${f.message}${f.jsonPointer ? ` (at ${f.jsonPointer} of the node's config)` : ''}`,
      });
    fragments.push({ kind, value, pointer: '', line: i + 1, path });
  }
  return result();
}
