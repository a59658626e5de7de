/** The reachability-metadata.json document: its sections, each read by the part of the parser for its kind. */
import { foreign } from './foreign.js';
import { hasOwn, type Json, type Reader } from './reader.js';
import { bundle, glob } from './resources.js';
import { serializationType } from './serialization.js';
import { typeList } from './types.js';

/** The top-level keys of reachability-metadata.json. */
export const UNIFIED_TOP_KEYS: ReadonlySet<string> = new Set([
  'reflection',
  'jni',
  'serialization',
  'resources',
  'bundles',
  'foreign',
  'reason',
  'comment',
]);

// -- reachability-metadata.json -------------------------------------------------------------

/** What the careful and the lean reader say of the older top-level `serialization` section. */
export const OLDER_SERIALIZATION =
  "the top-level 'serialization' section (schema 1.0/1.1); GraalVM 25 writes 'serializable' entries in 'reflection'";

/** Reads a reachability-metadata.json document. */
export function unified(r: Reader, v: Json): void {
  const o = r.obj(v, '', 'a reachability-metadata.json document');
  if (o === undefined) return;
  r.checkKeys(o, '', UNIFIED_TOP_KEYS, 'reachability-metadata.json');
  if (hasOwn(o, 'reflection')) typeList(r, o.reflection, '/reflection', 'reflection', 'reflection');
  if (hasOwn(o, 'jni')) {
    r.report(
      'deprecated',
      '/jni',
      "the top-level 'jni' section (schema 1.0/1.1); GraalVM 25 writes 'jniAccessible' entries in 'reflection'",
    );
    typeList(r, o.jni, '/jni', 'jni', 'jni');
  }
  if (hasOwn(o, 'serialization')) {
    r.report('deprecated', '/serialization', OLDER_SERIALIZATION);
    r.objectList(o, 'serialization', '', 'a serialization entry', (e, p) => serializationType(r, e, p));
  }
  r.objectList(o, 'resources', '', 'a resource entry', (e, p) => {
    if (hasOwn(e, 'bundle')) bundle(r, e, p, 'bundle');
    else if (hasOwn(e, 'glob')) glob(r, e, p);
    else r.report('missing-key', p, "a resource entry needs 'glob' or 'bundle'");
  });
  if (hasOwn(o, 'bundles')) {
    r.report(
      'deprecated',
      '/bundles',
      "the top-level 'bundles' section (schema 1.0); newer files list {\"bundle\": ...} in 'resources'",
    );
    r.objectList(o, 'bundles', '', 'a resource bundle', (e, p) => bundle(r, e, p, 'name'));
  }
  if (hasOwn(o, 'foreign')) foreign(r, o.foreign, '/foreign');
  if (hasOwn(o, 'comment')) {
    const c = o.comment;
    if (typeof c === 'string') r.builder.addComments([c]);
    else r.builder.addComments(r.strings(c, '/comment', "'comment'") ?? []);
  }
  if (hasOwn(o, 'reason')) {
    // A file-level reason has no place of its own in the model: it is kept with the comments.
    const reason = o.reason;
    if (typeof reason === 'string') r.builder.addComments([reason]);
    else r.builder.addComments(r.strings(reason, '/reason', "'reason'") ?? []);
  }
}
