/**
 * Parses every on-disk metadata form into a {@link ConfigBuilder}, reporting findings instead
 * of throwing: wrong types at any depth, unknown keys, malformed names, hidden classes,
 * conditions that do not fit the format, duplicates, empty proxies, regexes that do not compile.
 * What can still be read is read, so one bad entry does not hide the rest of a file.
 * One module per kind; this one only picks the reader for a file's kind.
 */
import type { Finding } from '../findings.js';
import { FILE_KINDS, type FileKind } from '../kinds.js';
import type { ConfigBuilder } from '../model.js';
import { foreign } from './foreign.js';
import { predefinedConfig } from './predefined.js';
import { proxyConfig } from './proxies.js';
import { Reader, type EntryPointers, type Json } from './reader.js';
import { resourceConfig } from './resources.js';
import { serializationConfig } from './serialization.js';
import { reportRepeats, typeList } from './types.js';
import { unified } from './unified.js';

export type { EntryPointers } from './reader.js';

const READERS = {
  reflect: (r, v) => typeList(r, v, '', 'reflection', 'reflect-config.json'),
  jni: (r, v) => typeList(r, v, '', 'jni', 'jni-config.json'),
  resource: resourceConfig,
  proxy: proxyConfig,
  serialization: serializationConfig,
  predefined: predefinedConfig,
  foreign: (r, v) => foreign(r, v, ''),
  unified,
} as const satisfies Record<FileKind, (r: Reader, value: Json) => void>;

/**
 * Parses one document of a known kind into `builder`; returns its findings. With `pointers`,
 * also records where every entry it adds is (`${part}\u0000${item key}` → file and JSON pointer).
 */
export function parseDocument(
  kind: FileKind,
  value: Json,
  file: string,
  builder: ConfigBuilder,
  pointers?: EntryPointers,
): Finding[] {
  const r = new Reader(file, FILE_KINDS[kind].format, builder, pointers);
  READERS[kind](r, value);
  reportRepeats(r);
  return r.findings;
}
