/** Legacy `predefined-classes-config.json`. */
import { pointerAppend } from '../findings.js';
import { hasOwn, type Json, type Reader } from './reader.js';

const KEYS_TYPE_CLASSES: ReadonlySet<string> = new Set(['type', 'classes']);
const KEYS_HASH_NAMEINFO: ReadonlySet<string> = new Set(['hash', 'nameInfo']);

/** Reads a predefined-classes-config.json document. */
export function predefinedConfig(r: Reader, v: Json): void {
  const list = r.arr(v, '', 'a predefined-classes-config.json list');
  list?.forEach((e, i) => {
    const ptr = pointerAppend('', i);
    const o = r.obj(e, ptr, 'a predefined-classes entry');
    if (o === undefined) return;
    r.checkKeys(o, ptr, KEYS_TYPE_CLASSES, 'a predefined-classes entry');
    if (!r.required(o, 'type', ptr, 'a predefined-classes entry')) return;
    const type = r.str(o.type, pointerAppend(ptr, 'type'), 'the loader type');
    if (type === undefined) return;
    const classes: { hash: string; nameInfo: string }[] = [];
    r.objectList(o, 'classes', ptr, 'a predefined class', (c, cptr) => {
      r.checkKeys(c, cptr, KEYS_HASH_NAMEINFO, 'a predefined class');
      if (!r.required(c, 'hash', cptr, 'a predefined class')) return;
      const hash = r.str(c.hash, pointerAppend(cptr, 'hash'), 'a hash');
      const nameInfo = hasOwn(c, 'nameInfo') ? r.str(c.nameInfo, pointerAppend(cptr, 'nameInfo'), 'a class name') : '';
      if (hash !== undefined && nameInfo !== undefined) classes.push({ hash, nameInfo });
    });
    r.builder.addPredefined(type, classes);
  });
}
