/** Resources and bundles: legacy `resource-config.json` (patterns, globs, bundles) and the `resources` entries of reachability-metadata.json. */
import { pointerAppend } from '../findings.js';
import { javaRegexProblem, literalGlob } from '../regex.js';
import { bundleItemKey, resourceItemKey } from '../sections.js';
import { hasOwn, type Json, type JsonObject, type Reader } from './reader.js';

const KEYS_PATTERN_CONDITION_REASONS: ReadonlySet<string> = new Set(['pattern', 'condition', 'reasons']);
/** The top-level keys of resource-config.json. */
export const KEYS_RESOURCES_BUNDLES_GLOBS: ReadonlySet<string> = new Set(['resources', 'bundles', 'globs']);
const KEYS_INCLUDES_EXCLUDES: ReadonlySet<string> = new Set(['includes', 'excludes']);

// -- resources ------------------------------------------------------------------------------

/** Reads a legacy resource pattern (an include or an exclude). */
export function pattern(r: Reader, o: JsonObject, ptr: string, exclude: boolean): void {
  r.checkKeys(o, ptr, KEYS_PATTERN_CONDITION_REASONS, 'a resource pattern');
  if (!r.required(o, 'pattern', ptr, 'a resource pattern')) return;
  const pptr = pointerAppend(ptr, 'pattern');
  const value = r.str(o.pattern, pptr, 'a regular expression');
  if (value === undefined) return;
  const problem = javaRegexProblem(value);
  if (problem !== undefined) r.report('bad-regex', pptr, `pattern '${value}' does not compile: ${problem}`);
  const condition = r.condition(o, ptr);
  // A pattern that quotes one literal path (what the agent writes) is that path as a glob;
  // GraalVM's parser makes the same conversion. Emitters write it back in either form.
  const glob = exclude ? undefined : literalGlob(value);
  const kind = glob === undefined ? 'regex' : 'glob';
  const key = `${exclude ? 'exclude' : 'include'}\u0000${condition}\u0000${kind}\u0000${glob ?? value}`;
  r.duplicate(key, ptr, 'this resource pattern');
  r.builder.addResource({ condition, kind, value: glob ?? value, reasons: r.reasons(o, ptr) }, exclude);
  r.at(
    exclude ? 'resourceExcludes' : 'resources',
    resourceItemKey({ condition, module: '', kind, value: glob ?? value }),
    ptr,
  );
}

/** Reads a resource glob (legacy `globs`, or a unified resource entry). */
export function glob(r: Reader, o: JsonObject, ptr: string): void {
  const allowed =
    r.format === 'legacy' ? ['glob', 'module', 'condition', 'reasons'] : ['glob', 'module', 'condition', 'reason'];
  r.checkKeys(o, ptr, allowed, 'a resource glob');
  const value = r.str(o.glob, pointerAppend(ptr, 'glob'), 'a glob');
  if (value === undefined) return;
  const module = hasOwn(o, 'module') ? (r.str(o.module, pointerAppend(ptr, 'module'), 'a module name') ?? '') : '';
  const condition = r.condition(o, ptr);
  r.duplicate(
    `include\u0000${condition}\u0000glob\u0000${value}${module === '' ? '' : `\u0000${module}`}`,
    ptr,
    'this resource glob',
  );
  r.builder.addResource({ condition, module, kind: 'glob', value, reasons: r.reasons(o, ptr) });
  r.at('resources', resourceItemKey({ condition, module, kind: 'glob', value }), ptr);
}

/** Reads a resource bundle, keyed by `name` (legacy) or `bundle` (unified). */
export function bundle(r: Reader, o: JsonObject, ptr: string, nameKey: 'name' | 'bundle'): void {
  const legacy = r.format === 'legacy';
  const allowed =
    nameKey === 'bundle'
      ? ['bundle', 'module', 'condition', 'reason']
      : ['name', 'locales', 'classNames', 'condition', legacy ? 'reasons' : 'reason', 'module'];
  r.checkKeys(o, ptr, allowed, 'a resource bundle');
  if (!r.required(o, nameKey, ptr, 'a resource bundle')) return;
  const name = r.str(o[nameKey], pointerAppend(ptr, nameKey), 'a bundle name');
  if (name === undefined) return;
  const module = hasOwn(o, 'module') ? (r.str(o.module, pointerAppend(ptr, 'module'), 'a module name') ?? '') : '';
  const locales = hasOwn(o, 'locales') ? (r.strings(o.locales, pointerAppend(ptr, 'locales'), 'locales') ?? []) : [];
  const classNames = hasOwn(o, 'classNames')
    ? (r.strings(o.classNames, pointerAppend(ptr, 'classNames'), 'class names') ?? []).map((c, i) =>
        r.className(c, pointerAppend(pointerAppend(ptr, 'classNames'), i), 'type'),
      )
    : [];
  const condition = r.condition(o, ptr);
  r.duplicate(`bundle\u0000${condition}\u0000${module}\u0000${name}`, ptr, 'this bundle');
  r.builder.addBundle({ condition, module, name, locales, classNames, reasons: r.reasons(o, ptr) });
  r.at('bundles', bundleItemKey(condition, module, name), ptr);
}

/** Reads a resource-config.json document, in any of its forms. */
export function resourceConfig(r: Reader, v: Json): void {
  const o = r.obj(v, '', 'a resource-config.json document');
  if (o === undefined) return;
  r.checkKeys(o, '', KEYS_RESOURCES_BUNDLES_GLOBS, 'resource-config.json');
  if (hasOwn(o, 'resources')) {
    const list = o.resources;
    if (Array.isArray(list)) {
      r.report(
        'deprecated',
        '/resources',
        'the pre-1.0 form {"resources": [...]}; current GraalVM writes {"resources": {"includes": [...]}}',
      );
      r.objectList(o, 'resources', '', 'a resource pattern', (e, p) => pattern(r, e, p, false));
    } else {
      const ro = r.obj(list, '/resources', "'resources'");
      if (ro) {
        r.checkKeys(ro, '/resources', KEYS_INCLUDES_EXCLUDES, "'resources'");
        r.objectList(ro, 'includes', '/resources', 'a resource pattern', (e, p) => pattern(r, e, p, false));
        r.objectList(ro, 'excludes', '/resources', 'a resource pattern', (e, p) => pattern(r, e, p, true));
      }
    }
  }
  r.objectList(o, 'globs', '', 'a resource glob', (e, p) => {
    if (r.required(e, 'glob', p, 'a resource glob')) glob(r, e, p);
  });
  r.objectList(o, 'bundles', '', 'a resource bundle', (e, p) => bundle(r, e, p, 'name'));
}
