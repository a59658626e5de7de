/** Legacy `proxy-config.json`: interface lists, in the current and the pre-1.0 form. */
import { pointerAppend } from '../findings.js';
import { typeKey, type TypeRef } from '../model.js';
import { typeItemKey } from '../sections.js';
import type { Json, Reader } from './reader.js';

const KEYS_INTERFACES_CONDITION_REASONS: ReadonlySet<string> = new Set(['interfaces', 'condition', 'reasons']);

// -- proxies, serialization, predefined classes ---------------------------------------------

/** Reads one proxy's interface list into the reflection part. */
export function proxy(r: Reader, interfacesValue: Json, ptr: string, condition: string, reasons: string[]): void {
  const interfaces = r.interfaces(interfacesValue, ptr);
  if (interfaces === undefined) return;
  const type: TypeRef = { kind: 'proxy', interfaces };
  r.duplicate(`reflection\u0000${condition}\u0000${typeKey(type)}`, ptr, 'this proxy');
  r.builder.addType('reflection', { condition, type, reasons });
  r.at('proxies', typeItemKey(condition, type), ptr);
}

/** Reads a proxy-config.json document. */
export function proxyConfig(r: Reader, v: Json): void {
  const list = r.arr(v, '', 'a proxy-config.json list');
  list?.forEach((e, i) => {
    const ptr = pointerAppend('', i);
    if (Array.isArray(e)) {
      r.report('deprecated', ptr, 'the pre-1.0 form [["I1", "I2"]]; current GraalVM writes {"interfaces": [...]}');
      proxy(r, e, ptr, '', []);
      return;
    }
    const o = r.obj(e, ptr, 'a proxy entry');
    if (o === undefined) return;
    r.checkKeys(o, ptr, KEYS_INTERFACES_CONDITION_REASONS, 'a proxy entry');
    if (!r.required(o, 'interfaces', ptr, 'a proxy entry')) return;
    proxy(r, o.interfaces, pointerAppend(ptr, 'interfaces'), r.condition(o, ptr), r.reasons(o, ptr));
  });
}
