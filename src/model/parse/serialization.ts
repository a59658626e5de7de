/** Serialization entries: legacy `serialization-config.json` (types, lambda-capturing types, proxies) and the old top-level `serialization` section of reachability-metadata.json. */
import { pointerAppend } from '../findings.js';
import { typeKey, type TypeRef } from '../model.js';
import { lambdaItemKey, serializationItemKey } from '../sections.js';
import { hasOwn, type Json, type JsonObject, type Reader } from './reader.js';

const KEYS_INTERFACES_CONDITION_REASONS: ReadonlySet<string> = new Set(['interfaces', 'condition', 'reasons']);
/** The top-level keys of serialization-config.json. */
export const KEYS_TYPES_LAMBDACAPTURINGTYPES_PROXIES: ReadonlySet<string> = new Set([
  'types',
  'lambdaCapturingTypes',
  'proxies',
]);
const KEYS_NAME_CONDITION_REASONS: ReadonlySet<string> = new Set(['name', 'condition', 'reasons']);

/** Reads one serialization entry. */
export function serializationType(r: Reader, o: JsonObject, ptr: string): void {
  const legacy = r.format === 'legacy';
  const allowed = legacy
    ? ['name', 'type', 'condition', 'customTargetConstructorClass', 'reasons']
    : ['type', 'condition', 'customTargetConstructorClass', 'reason'];
  r.checkKeys(o, ptr, allowed, 'a serialization entry');
  const key = legacy && hasOwn(o, 'name') ? 'name' : 'type';
  if (!r.required(o, key, ptr, 'a serialization entry')) return;
  const type = r.typeRef(o[key], pointerAppend(ptr, key));
  if (type === undefined) return;
  const condition = r.condition(o, ptr);
  let ctcc = '';
  if (hasOwn(o, 'customTargetConstructorClass')) {
    const cptr = pointerAppend(ptr, 'customTargetConstructorClass');
    const c = r.str(o.customTargetConstructorClass, cptr, 'a class name');
    if (c !== undefined) {
      ctcc = r.className(c, cptr, 'type');
      r.report('deprecated', cptr, "'customTargetConstructorClass' is deprecated; native-image warns about it");
    }
  }
  r.duplicate(`serialization\u0000${condition}\u0000${typeKey(type)}\u0000${ctcc}`, ptr, 'this serialization entry');
  r.builder.addSerialization({
    condition,
    type,
    customTargetConstructorClass: ctcc,
    reasons: r.reasons(o, ptr),
  });
  r.at('serialization', serializationItemKey(condition, type, ctcc), ptr);
}

/** Reads a serialization-config.json document, in the current or the pre-1.0 form. */
export function serializationConfig(r: Reader, v: Json): void {
  if (Array.isArray(v)) {
    r.report(
      'deprecated',
      '',
      'the pre-1.0 form [{"name": ...}]; current GraalVM writes {"types": [...], "lambdaCapturingTypes": [...]}',
    );
    v.forEach((e, i) => {
      const ptr = pointerAppend('', i);
      const o = r.obj(e, ptr, 'a serialization entry');
      if (o) serializationType(r, o, ptr);
    });
    return;
  }
  const o = r.obj(v, '', 'a serialization-config.json document');
  if (o === undefined) return;
  r.checkKeys(o, '', KEYS_TYPES_LAMBDACAPTURINGTYPES_PROXIES, 'serialization-config.json');
  r.required(o, 'types', '', 'serialization-config.json');
  r.required(o, 'lambdaCapturingTypes', '', 'serialization-config.json');
  r.objectList(o, 'types', '', 'a serialization entry', (e, p) => serializationType(r, e, p));
  r.objectList(o, 'lambdaCapturingTypes', '', 'a lambda-capturing type', (e, p) => {
    r.checkKeys(e, p, KEYS_NAME_CONDITION_REASONS, 'a lambda-capturing type');
    if (!r.required(e, 'name', p, 'a lambda-capturing type')) return;
    const nptr = pointerAppend(p, 'name');
    const n = r.str(e.name, nptr, 'a class name');
    if (n === undefined) return;
    const name = r.className(n, nptr, 'type');
    const condition = r.condition(e, p);
    r.duplicate(`lambda\u0000${condition}\u0000${name}`, p, 'this lambda-capturing type');
    r.builder.addLambdaCapturing(condition, name);
    r.at('lambdaCapturing', lambdaItemKey(condition, name), p);
  });
  r.objectList(o, 'proxies', '', 'a serialization proxy', (e, p) => {
    r.checkKeys(e, p, KEYS_INTERFACES_CONDITION_REASONS, 'a serialization proxy');
    if (!r.required(e, 'interfaces', p, 'a serialization proxy')) return;
    const interfaces = r.interfaces(e.interfaces, pointerAppend(p, 'interfaces'));
    if (interfaces === undefined) return;
    const condition = r.condition(e, p);
    const type: TypeRef = { kind: 'proxy', interfaces };
    r.duplicate(`serialization\u0000${condition}\u0000${typeKey(type)}\u0000`, p, 'this serialization proxy');
    r.builder.addSerialization({ condition, type, reasons: r.reasons(e, p) });
    r.at('serialization', serializationItemKey(condition, type, ''), p);
  });
}
