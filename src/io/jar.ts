/**
 * Reads the native-image metadata a jar ships (`META-INF/native-image/**`), for
 * `prune --library-config`. A small reader of the zip central directory: stored and deflated
 * entries, which is what jar tools write.
 */
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { kindOfFileName, type FileKind } from '../model/kinds.js';
import { propertiesReferences } from './inputs.js';

export interface JarEntryText {
  readonly name: string;
  readonly text: string;
  readonly kind: FileKind;
}

export class JarError extends Error {
  override readonly name = 'JarError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export async function readJarMetadata(path: string): Promise<JarEntryText[]> {
  const buf = await readFile(path);
  const entries = centralDirectory(buf, path);
  const wanted = new Map<string, FileKind>();
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const e of entries) {
    if (!e.name.startsWith('META-INF/native-image/')) continue;
    const base = e.name.slice(e.name.lastIndexOf('/') + 1);
    const kind = kindOfFileName(base);
    if (kind) wanted.set(e.name, kind);
    if (base === 'native-image.properties') {
      const dir = e.name.slice(0, e.name.lastIndexOf('/') + 1);
      for (const ref of propertiesReferences(extract(buf, e, path))) {
        if (byName.has(dir + ref.path)) wanted.set(dir + ref.path, ref.kind);
      }
    }
  }
  return [...wanted]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, kind]) => ({ name, kind, text: extract(buf, byName.get(name)!, path) }));
}

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localOffset: number;
}

function centralDirectory(buf: Buffer, path: string): ZipEntry[] {
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new JarError(`${path}: not a jar (zip) file: no end-of-central-directory record`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL)
      throw new JarError(`${path}: damaged zip central directory at byte ${at}`);
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const localOffset = buf.readUInt32LE(at + 42);
    entries.push({ name: buf.toString('utf8', at + 46, at + 46 + nameLength), method, compressedSize, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function extract(buf: Buffer, e: ZipEntry, path: string): string {
  const at = e.localOffset;
  if (buf.readUInt32LE(at) !== LOCAL) throw new JarError(`${path}: damaged zip entry ${e.name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data.toString('utf8');
  if (e.method === 8) return inflateRawSync(data).toString('utf8');
  throw new JarError(`${path}: ${e.name} uses zip compression method ${e.method}, which is not supported`);
}
