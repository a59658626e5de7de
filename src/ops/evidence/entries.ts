/**
 * The entries of one config fragment as the agent prints it (a node's config in the origins
 * files): which section and name each stands for. Reads the legacy forms (GraalVM for JDK
 * 17/21/22) and the reachability-metadata sections (JDK 23 and later) alike.
 */
import { finding, pointerAppend, type Finding } from '../../model/findings.js';
import { normaliseTypeName } from '../../model/names.js';
import { quotedLiteral } from '../../model/regex.js';
import type { EvidenceSection } from './types.js';

/** The agent's names for the kinds (ConfigurationFile.getName), as keys of a node's config. */
export const AGENT_KINDS = ['reflect', 'jni', 'proxy', 'resource', 'serialization', 'predefined-classes', 'foreign'];

export type Sink = (section: EvidenceSection, name: string) => void;

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v === 'string' ? 'a string' : `a ${typeof v}`}`;
}

class Reader {
  constructor(
    private readonly file: string,
    private readonly findings: Finding[],
    private readonly sink: Sink,
  ) {}

  wrong(pointer: string, expected: string, found: Json): void {
    this.findings.push(finding('wrong-type', this.file, pointer, `expected ${expected}, found ${describe(found)}`));
  }

  private array(v: Json, pointer: string, expected: string): readonly Json[] {
    if (Array.isArray(v)) return v;
    this.wrong(pointer, expected, v);
    return [];
  }

  private className(v: Json, pointer: string): string | undefined {
    if (typeof v === 'string' && v !== '') return normaliseTypeName(v);
    this.wrong(pointer, 'a class name', v);
    return undefined;
  }

  private interfaces(v: Json, pointer: string): string | undefined {
    const list = this.array(v, pointer, 'a list of interface names');
    const names: string[] = [];
    list.forEach((n, i) => {
      const c = this.className(n, pointerAppend(pointer, i));
      if (c !== undefined) names.push(c);
    });
    return names.length === list.length && names.length > 0 ? names.join(',') : undefined;
  }

  /** A type entry of reflect, jni or (unified) serialization: `name`, or `type` as a string or `{proxy: [...]}`. */
  private typeEntry(e: Json, pointer: string, section: 'reflection' | 'jni' | 'serialization'): void {
    if (!isObject(e)) return this.wrong(pointer, 'a type entry (an object)', e);
    const t = 'type' in e ? e.type : e.name;
    const at = pointerAppend(pointer, 'type' in e ? 'type' : 'name');
    if (t === undefined) {
      this.findings.push(finding('missing-key', this.file, pointer, 'expected "name" or "type" in a type entry'));
      return;
    }
    const sections: EvidenceSection[] =
      section === 'reflection' && e.jniAccessible === true ? ['reflection', 'jni'] : [section];
    if (isObject(t)) {
      if ('proxy' in t) {
        const p = this.interfaces(t.proxy, pointerAppend(at, 'proxy'));
        if (p !== undefined) for (const s of sections) this.sink(s === 'reflection' ? 'proxies' : s, p);
        return;
      }
      if ('lambda' in t) return; // the agent records no lambda descriptors; nothing to say about one
      return this.wrong(at, 'a class name or {"proxy": [...]}', t);
    }
    const name = this.className(t, at);
    if (name !== undefined) for (const s of sections) this.sink(s, name);
  }

  private resource(e: Json, pointer: string): void {
    if (!isObject(e)) return this.wrong(pointer, 'a resource entry (an object)', e);
    if (typeof e.glob === 'string') return this.sink('resources', e.glob);
    if (typeof e.pattern === 'string') return this.sink('resources', quotedLiteral(e.pattern) ?? e.pattern);
    if (typeof e.bundle === 'string') return this.sink('bundles', e.bundle);
    this.findings.push(
      finding('missing-key', this.file, pointer, 'expected "glob", "pattern" or "bundle" in a resource entry'),
    );
  }

  private bundle(e: Json, pointer: string): void {
    if (!isObject(e)) return this.wrong(pointer, 'a bundle entry (an object)', e);
    if (typeof e.name === 'string') return this.sink('bundles', e.name);
    this.wrong(pointerAppend(pointer, 'name'), 'a bundle name', e.name);
  }

  fragment(kind: string, v: Json, pointer: string): void {
    switch (kind) {
      case 'reflect':
      case 'jni':
        this.array(v, pointer, `the ${kind} entries (an array)`).forEach((e, i) =>
          this.typeEntry(e, pointerAppend(pointer, i), kind === 'jni' ? 'jni' : 'reflection'),
        );
        return;
      case 'proxy':
        this.array(v, pointer, 'the proxy entries (an array)').forEach((e, i) => {
          const at = pointerAppend(pointer, i);
          const list = isObject(e) ? e.interfaces : e;
          const p = this.interfaces(list, isObject(e) ? pointerAppend(at, 'interfaces') : at);
          if (p !== undefined) this.sink('proxies', p);
        });
        return;
      case 'resource':
        if (Array.isArray(v)) {
          // reachability-metadata form: [{glob}|{bundle}]; pre-1.0 legacy: [{pattern}]
          v.forEach((e, i) => this.resource(e, pointerAppend(pointer, i)));
          return;
        }
        if (!isObject(v)) return this.wrong(pointer, 'the resource config (an object or an array)', v);
        if (v.resources !== undefined) {
          const r = v.resources;
          const at = pointerAppend(pointer, 'resources');
          if (Array.isArray(r)) r.forEach((e, i) => this.resource(e, pointerAppend(at, i)));
          else if (isObject(r)) {
            if (r.includes !== undefined)
              this.array(r.includes, pointerAppend(at, 'includes'), 'the includes (an array)').forEach((e, i) =>
                this.resource(e, pointerAppend(pointerAppend(at, 'includes'), i)),
              );
          } else this.wrong(at, 'the resources (an object or an array)', r);
        }
        if (v.globs !== undefined)
          this.array(v.globs, pointerAppend(pointer, 'globs'), 'the globs (an array)').forEach((e, i) =>
            this.resource(e, pointerAppend(pointerAppend(pointer, 'globs'), i)),
          );
        if (v.bundles !== undefined)
          this.array(v.bundles, pointerAppend(pointer, 'bundles'), 'the bundles (an array)').forEach((e, i) =>
            this.bundle(e, pointerAppend(pointerAppend(pointer, 'bundles'), i)),
          );
        return;
      case 'serialization':
        if (Array.isArray(v)) {
          v.forEach((e, i) => this.typeEntry(e, pointerAppend(pointer, i), 'serialization'));
          return;
        }
        if (!isObject(v)) return this.wrong(pointer, 'the serialization config (an object or an array)', v);
        for (const key of ['types', 'lambdaCapturingTypes'] as const) {
          if (v[key] === undefined) continue;
          const at = pointerAppend(pointer, key);
          this.array(v[key], at, `the ${key} (an array)`).forEach((e, i) =>
            this.typeEntry(e, pointerAppend(at, i), 'serialization'),
          );
        }
        if (v.proxies !== undefined) {
          const at = pointerAppend(pointer, 'proxies');
          this.array(v.proxies, at, 'the proxies (an array)').forEach((e, i) => {
            const p = isObject(e)
              ? this.interfaces(e.interfaces, pointerAppend(pointerAppend(at, i), 'interfaces'))
              : this.interfaces(e, pointerAppend(at, i));
            if (p !== undefined) this.sink('serialization', p);
          });
        }
        return;
      case 'predefined-classes':
      case 'foreign':
        return; // nothing prune decides by lookups
      default:
        this.findings.push(
          finding(
            'ignored-key',
            this.file,
            pointer,
            `"${kind}" is not a kind the agent writes; its entries are not read`,
          ),
        );
    }
  }
}

/** Reads one fragment of the given agent kind at `pointer`, calling `sink` for each entry. */
export function readFragment(
  kind: string,
  value: unknown,
  file: string,
  pointer: string,
  sink: Sink,
  findings: Finding[],
): void {
  new Reader(file, findings, sink).fragment(kind, value, pointer);
}
