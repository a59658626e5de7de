/** Shared test helpers: the reference corpus, loading files into the model, canonical text. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emitLegacy, emitUnified, toJsonText } from '../src/model/emit/index.js';
import { kindOfFileName, type FileKind } from '../src/model/kinds.js';
import { ConfigBuilder, type ConfigSet } from '../src/model/model.js';
import { loadSource, loadSources, type LoadedFile } from '../src/ops/load.js';

export const REPO = resolve(import.meta.dirname, '..');
export const SHARED = process.env.NI_CONFIG_SHARED ?? resolve(REPO, '..', 'shared');
export const REFERENCE = join(SHARED, 'reference');
export const CORPUS = join(REFERENCE, 'corpus');

export interface CorpusFile {
  readonly path: string;
  /** Path below the corpus root, for messages. */
  readonly rel: string;
  readonly kind: FileKind;
}

let cache: CorpusFile[] | undefined;

/** Every metadata file of the shared corpus, by known name (index.json, schemas and traces are not metadata). */
export function corpusFiles(): CorpusFile[] {
  if (cache) return cache;
  const out: CorpusFile[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const kind = kindOfFileName(e.name);
        if (kind) out.push({ path: p, rel: p.slice(CORPUS.length + 1), kind });
      }
    }
  };
  walk(CORPUS);
  out.sort((a, b) => (a.path < b.path ? -1 : 1));
  cache = out;
  return out;
}

export function loadFile(path: string, kind?: FileKind): { set: ConfigSet; file: LoadedFile } {
  const builder = new ConfigBuilder();
  const file = loadSource({ file: path, text: readFileSync(path, 'utf8'), kind }, builder);
  return { set: builder.build(), file };
}

/** Loads in-memory documents (file name → JSON value) as one set. */
export function loadDocs(docs: ReadonlyMap<string, unknown>): { set: ConfigSet; findings: LoadedFile['findings'] } {
  const r = loadSources(
    [...docs].map(([name, value]) => ({ file: name, text: JSON.stringify(value), kind: kindOfFileName(name) })),
  );
  return { set: r.set, findings: r.findings };
}

/** A canonical text of a whole set: its legacy emission (every section, sorted). */
export function canonical(set: ConfigSet): string {
  return [...emitLegacy(set).files].map(([name, value]) => `== ${name}\n${toJsonText(value)}`).join('');
}

export function roundTripUnified(set: ConfigSet): ConfigSet {
  return loadDocs(emitUnified(set).files).set;
}

export function roundTripLegacy(set: ConfigSet): ConfigSet {
  return loadDocs(emitLegacy(set).files).set;
}
