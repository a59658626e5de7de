/**
 * Shared test helpers: the metadata corpus (the committed subset in fixtures/corpus, and the whole
 * corpus when NI_CONFIG_CORPUS names it), loading files into the model, canonical text.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe } from 'vitest';
import { emitLegacy, emitUnified, toJsonText } from '../src/model/emit/index.js';
import { kindOfFileName, type FileKind } from '../src/model/kinds.js';
import { ConfigBuilder, type ConfigSet } from '../src/model/model.js';
import { loadSource, loadSources, type LoadedFile } from '../src/ops/load.js';

export const REPO = resolve(import.meta.dirname, '..');
/** The committed subset of the corpus (fixtures/corpus/README.md): same paths as the whole corpus. */
export const CORPUS = join(REPO, 'fixtures', 'corpus');
/** The whole corpus, when NI_CONFIG_CORPUS names it (CI passes ../shared/reference/corpus). */
export const FULL_CORPUS = process.env.NI_CONFIG_CORPUS ? resolve(process.env.NI_CONFIG_CORPUS) : undefined;
/** How to run the suites that need the whole corpus; printed once when they are skipped. */
export const CORPUS_HINT = 'set NI_CONFIG_CORPUS to the reference corpus (e.g. ../shared/reference/corpus) to run them';

/** A suite that reads the whole corpus: it runs when NI_CONFIG_CORPUS is set (always in CI). */
export function describeCorpus(name: string, fn: () => void): void {
  describe.runIf(FULL_CORPUS !== undefined)(name, fn);
}

export interface CorpusFile {
  readonly path: string;
  /** Path below the corpus root, for messages. */
  readonly rel: string;
  readonly kind: FileKind;
}

const cache = new Map<string, CorpusFile[]>();

/** Every metadata file of a corpus by known name (index.json, schemas and traces are not metadata); default the whole one. */
export function corpusFiles(root: string | undefined = FULL_CORPUS): CorpusFile[] {
  if (root === undefined) return [];
  const hit = cache.get(root);
  if (hit) return hit;
  const out: CorpusFile[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const kind = kindOfFileName(e.name);
        if (kind) out.push({ path: p, rel: p.slice(root.length + 1), kind });
      }
    }
  };
  walk(root);
  out.sort((a, b) => (a.path < b.path ? -1 : 1));
  cache.set(root, out);
  return out;
}

/** Loads one file into a set of its own. */
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

/** The set after an emit to reachability-metadata.json and a parse back. */
export function roundTripUnified(set: ConfigSet): ConfigSet {
  return loadDocs(emitUnified(set).files).set;
}

/** The set after an emit to the legacy files and a parse back. */
export function roundTripLegacy(set: ConfigSet): ConfigSet {
  return loadDocs(emitLegacy(set).files).set;
}
