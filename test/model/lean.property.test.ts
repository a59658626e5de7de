/**
 * The lean reader (schema check first, then a reader that trusts the structure) gives the careful
 * reader's set, findings and entry pointers, always: on every corpus file (the whole corpus when
 * NI_CONFIG_CORPUS names it, else the committed subset), on merges of several, and on mutated
 * files — mutations that keep the schema happy but trip a semantic check (repeats, odd names,
 * conditions, flags, lambdas) and mutations that break the schema. Each also parsed in pieces
 * (as large documents are), also from chunks of text as a large file is read, and, as text, with
 * comments, trailing commas and cuts between pieces.
 */
import fc from 'fast-check';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EntryPointers } from '../../src/model/parse/index.js';
import { LEAN_KINDS } from '../../src/model/kinds.js';
import type { ConfigSet } from '../../src/model/model.js';
import { finding } from '../../src/model/findings.js';
import { leanDocument } from '../../src/model/parse/lean.js';
import { leanReadable, loadSources, satisfiesSchema, type ChunkedText, type SourceText } from '../../src/ops/load.js';
import { CORPUS, FULL_CORPUS, corpusFiles } from '../helpers.js';
import { get, paths, set, type Json } from '../json-edit.js';

const RUNS = Number(process.env.NI_CONFIG_FUZZ_RUNS ?? 400);

/** A set as comparable text: Sets as arrays, everything else as it is. */
function setText(set: ConfigSet): string {
  return JSON.stringify(set, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v));
}

interface Outcome {
  set: string;
  findings: unknown;
  files: unknown;
  pointers: [string, unknown][];
}

/**
 * Lean, careful, or lean with every document parsed in pieces of a few hundred characters, from
 * the whole text or from chunks of it.
 */
type Reading = 'lean' | 'careful' | 'pieces' | 'chunks';

/** How often a text read in chunks was read whole. */
let wholeReads = 0;

/**
 * A text as io/inputs.ts gives a large file: a chunk at a time, whole when asked for. The chunks
 * are of 1 to 97 characters, so that keys, values, escapes and white space are cut everywhere
 * (or the text is one chunk); `failAt` makes reading stop with an error there (also after the
 * last chunk), and `closed` counts the readings let go of.
 */
function chunked(
  text: string,
  how: { failAt?: number; oneChunk?: boolean; closed?: { count: number } } = {},
): ChunkedText {
  return {
    bytes: Buffer.byteLength(text),
    *chunks() {
      try {
        let at = 0;
        for (let n = 0; at < text.length; n++) {
          if (how.failAt !== undefined && at >= how.failAt) throw new Error('the file changed');
          const size = how.oneChunk ? text.length : 1 + ((at * 31 + n * 17) % 97);
          yield text.slice(at, at + size);
          at += size;
        }
        if (how.failAt !== undefined) throw new Error('the file changed');
      } finally {
        if (how.closed) how.closed.count++;
      }
    },
    whole: () => {
      wholeReads++;
      return text;
    },
  };
}

/** Whether a document read in chunks (pieces of a few hundred characters) was read whole after all (the piecewise reader gave up). */
function readWhole(s: SourceText, how: { oneChunk?: boolean }): boolean {
  const reads = wholeReads;
  const closed = { count: 0 };
  loadSources([{ ...s, text: chunked(s.text as string, { ...how, closed }) }], {
    piecewise: { from: 0, pieceSize: 300 },
  });
  // however the scan ended, the chunks were let go of (a file's closed)
  expect(closed.count).toBe(1);
  return wholeReads > reads;
}

function load(sources: readonly SourceText[], reading: Reading): Outcome {
  const pointers: EntryPointers = new Map();
  const r = loadSources(
    reading === 'chunks'
      ? sources.map((s) => ({ ...s, text: typeof s.text === 'string' ? chunked(s.text) : s.text }))
      : sources,
    {
      pointers,
      careful: reading === 'careful',
      ...(reading === 'pieces' || reading === 'chunks' ? { piecewise: { from: 0, pieceSize: 300 } } : {}),
    },
  );
  return { set: setText(r.set), findings: r.findings, files: r.files, pointers: [...pointers] };
}

function expectSame(sources: readonly SourceText[]): void {
  const careful = load(sources, 'careful');
  for (const reading of ['lean', 'pieces', 'chunks'] as const) {
    const other = load(sources, reading);
    expect(other.findings, reading).toEqual(careful.findings);
    expect(other.files, reading).toEqual(careful.files);
    expect(other.set, reading).toBe(careful.set);
    expect(other.pointers, reading).toEqual(careful.pointers);
  }
  // validate reads each document into a builder of its own and merges nothing: the same findings
  for (const reading of ['lean', 'careful'] as const) {
    const only = loadSources(sources, { findingsOnly: true, careful: reading === 'careful' });
    expect(only.findings, `${reading}, findings only`).toEqual(careful.findings);
    expect(only.files, `${reading}, findings only`).toEqual(careful.files);
  }
}

const files = corpusFiles(FULL_CORPUS ?? CORPUS).filter((f) => LEAN_KINDS.has(f.kind));
const source = (f: (typeof files)[number], text = readFileSync(f.path, 'utf8')): SourceText => ({
  file: f.rel,
  text,
  kind: f.kind,
});

describe('the lean reader', () => {
  it('reads every corpus file of its kinds as the careful reader does', () => {
    let lean = 0;
    let inChunks = 0;
    for (const f of files) {
      const s = source(f);
      expectSame([s]);
      if (satisfiesSchema(f.kind, JSON.parse(s.text as string))) lean++;
      // cut anywhere, a text is given up exactly when it is given up whole (a document with
      // repeats or condition variants is read whole: the pieces are not kept to tell them)
      const whole = readWhole(s, { oneChunk: true });
      expect(readWhole(s, {}), f.rel).toBe(whole);
      if (!whole) inChunks++;
    }
    // most of the corpus is schema-valid, so most of it takes the lean path, and much of it is
    // read in pieces
    expect(lean).toBeGreaterThan(files.length / 2);
    expect(inChunks).toBeGreaterThan(lean / 3);
  });

  it('merges corpus files as the careful reader does, in any order', () => {
    const small = files.filter((f) => statSync(f.path).size < 256 * 1024);
    fc.assert(
      fc.property(fc.shuffledSubarray(small, { minLength: 2, maxLength: 8 }), (picked) => {
        expectSame(picked.map((f) => source(f)));
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
  });

  const seeds = (() => {
    const byKind = new Map<string, (typeof files)[number][]>();
    for (const f of files) {
      if (statSync(f.path).size > 48 * 1024) continue;
      byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
    }
    return [...byKind.values()].flatMap((list) =>
      list.filter((_, i) => i % Math.max(1, Math.floor(list.length / 25)) === 0),
    );
  })();

  /** The entries of a document: the objects in its type lists and resource lists. */
  function entryPaths(doc: Json): (string | number)[][] {
    return paths(doc).filter((p) => {
      const parent = p.length > 0 ? get(doc, p.slice(0, -1)) : undefined;
      const v = get(doc, p);
      return Array.isArray(parent) && v !== null && typeof v === 'object' && !Array.isArray(v);
    });
  }

  const names = fc.constantFrom<Json>(
    'java.lang.String',
    ' a.B',
    'a.B ',
    'a..B',
    'a/B',
    '[B',
    '[Ljava.lang.String;',
    '[[I',
    'java.lang.Object[]',
    'a.B$$Lambda/0x0001',
    'a.B$$Lambda$12/0x1',
    'a.B$$Lambda$12',
    'void',
    'void[]',
    'int',
    'a,b',
    '*',
    'é.B',
    '<init>',
    '<clinit>',
    '0bitmap$1',
    'get',
    '',
  );
  const values = fc.oneof(
    names,
    fc.constantFrom<Json>(true, false, null, 0, [], {}, ['a.B'], [' a.B'], { proxy: ['a.I'] }, { proxy: [] }),
    fc.constantFrom<Json>(
      { typeReached: 'a.C' },
      { typeReachable: 'a.C' },
      { typeReached: { proxy: ['a.I'] } },
      { typeReached: 'a.B$$Lambda/0x1' },
      { lambda: { declaringClass: 'a.B', interfaces: ['a.I'] } },
      {
        lambda: { declaringClass: 'a.B', declaringMethod: { name: 'm', parameterTypes: ['[B'] }, interfaces: ['a.I'] },
      },
      { name: 'f' },
      { name: 'm', parameterTypes: [] },
      { name: 'm', parameterTypes: ['int', '[B'] },
    ),
  );
  const flagKeys = fc.constantFrom(
    'jniAccessible',
    'serializable',
    'allDeclaredFields',
    'allPublicFields',
    'allDeclaredMethods',
    'allPublicConstructors',
    'queryAllDeclaredMethods',
    'allDeclaredClasses',
    'unsafeAllocated',
    'reason',
    'reasons',
  );

  type Edit = (doc: Json, pick: number) => Json;
  const at = (list: readonly (string | number)[][], pick: number): (string | number)[] | undefined =>
    list.length === 0 ? undefined : list[pick % list.length];
  /** The names of a document: types, conditions, members, parameters, interfaces. */
  function namePaths(doc: Json): (string | number)[][] {
    const named = new Set(['type', 'name', 'typeReached', 'typeReachable', 'declaringClass', 'glob', 'bundle']);
    const listed = new Set(['parameterTypes', 'interfaces', 'proxy']);
    return paths(doc).filter((p) => {
      if (typeof get(doc, p) !== 'string' || p.length === 0) return false;
      const last = p[p.length - 1]!;
      return typeof last === 'string' ? named.has(last) : listed.has(String(p[p.length - 2]));
    });
  }

  /**
   * Registers an entry of the document (or a.B) in the older top-level `serialization` section of
   * schema 1.1, which the lean reader reads too; with another edit that drops a type, the 1.1
   * schema's looser reflection entries come with it.
   */
  function toOlderSerialization(d: Json, p: number): Json {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) return d;
    const reflection = Array.isArray(d.reflection) ? d.reflection : [];
    const e = reflection[p % Math.max(1, reflection.length)];
    const from = e !== null && typeof e === 'object' && !Array.isArray(e) ? e : { type: 'a.B' };
    const entry: Record<string, Json> = { type: from.type ?? 'a.B' };
    if (from.condition !== undefined && p % 3 !== 0) entry.condition = from.condition;
    if (p % 5 === 1) entry.reason = 'why';
    if (p % 7 === 2) entry.customTargetConstructorClass = 'java.lang.Object';
    const older = Array.isArray(d.serialization) ? d.serialization : [];
    // first or last of the keys: the careful reader reads the sections in its own order
    const { serialization: _older, ...rest } = d;
    return p % 2 === 0 ? { serialization: [...older, entry], ...rest } : { ...rest, serialization: [...older, entry] };
  }

  const edit: fc.Arbitrary<{ kind: string; apply: Edit }> = fc.oneof(
    {
      weight: 5,
      arbitrary: names.map((n) => ({
        kind: 'rename',
        apply: (d: Json, p: number) => {
          const where = at(namePaths(d), p);
          return where === undefined ? d : set(d, where, () => n);
        },
      })),
    },
    fc.constant({
      kind: 'rename as another name of the file',
      apply: (d: Json, p: number) => {
        const all = namePaths(d);
        const where = at(all, p);
        const other = at(all, Math.floor(p / 7) + 3);
        return where === undefined || other === undefined ? d : set(d, where, () => get(d, other));
      },
    }),
    values.map((v) => ({ kind: 'replace a node', apply: (d: Json, p: number) => set(d, at(paths(d), p)!, () => v) })),
    fc.constant({
      kind: 'repeat an entry',
      apply: (d: Json, p: number) => {
        const e = at(entryPaths(d), p);
        return e === undefined ? d : set(d, e.slice(0, -1), (list) => [...(list as Json[]), get(d, e)]);
      },
    }),
    names.map((c) => ({
      kind: 'repeat an entry under another condition',
      apply: (d: Json, p: number) => {
        const e = at(entryPaths(d), p);
        if (e === undefined) return d;
        const copy = { ...(get(d, e) as object), condition: { typeReached: c, typeReachable: c } } as Record<
          string,
          Json
        >;
        if (p % 2 === 0) delete (copy.condition as Record<string, Json>).typeReachable;
        else delete (copy.condition as Record<string, Json>).typeReached;
        if (p % 3 === 0) delete copy.condition;
        return set(d, e.slice(0, -1), (list) => [...(list as Json[]), copy]);
      },
    })),
    fc.tuple(flagKeys, fc.constantFrom<Json>(true, false, 'why', ['a', 'b'])).map(([k, v]) => ({
      kind: `set ${k}`,
      apply: (d: Json, p: number) => {
        const e = at(entryPaths(d), p);
        return e === undefined ? d : set(d, e, (o) => ({ ...(o as object), [k]: v }));
      },
    })),
    fc.constant({ kind: 'register an entry in an older serialization section', apply: toOlderSerialization }),
    fc.constant({
      kind: 'drop a key',
      apply: (d: Json, p: number) => {
        const objects = paths(d).filter((q) => {
          const v = get(d, q);
          return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0;
        });
        const o = at(objects, p);
        if (o === undefined) return d;
        return set(d, o, (v) => {
          const copy = { ...(v as Record<string, Json>) };
          delete copy[Object.keys(copy)[p % Object.keys(copy).length]!];
          return copy;
        });
      },
    }),
  );

  it('reads texts that are not quite JSON as the careful reader does, in pieces too', () => {
    if (seeds.length === 0) return;
    const textEdits = fc.constantFrom(
      (t: string, at: number) => `${t.slice(0, at)}/* c */${t.slice(at)}`,
      (t: string, at: number) => `${t.slice(0, at)},${t.slice(at)}`,
      (t: string, at: number) => `${t.slice(0, at)}\n${t.slice(at)}`,
      (t: string, at: number) => t.slice(0, at),
      (t: string, at: number) => `${t.slice(0, at)}]${t.slice(at)}`,
      (t: string, at: number) => `${t.slice(0, at)}"${t.slice(at)}`,
      (t: string) => `${t} x`,
      (t: string) => `${t}\n{}`,
    );
    fc.assert(
      fc.property(fc.constantFrom(...seeds), textEdits, fc.double({ min: 0, max: 1, noNaN: true }), (seed, e, r) => {
        const text = JSON.stringify(JSON.parse(readFileSync(seed.path, 'utf8')), null, 2);
        expectSame([source(seed, e(text, Math.floor(r * text.length)))]);
      }),
      { numRuns: Math.min(RUNS, 150) },
    );
  });

  it('reads mutated files as the careful reader does (schema-valid or not)', () => {
    if (seeds.length === 0) return;
    let valid = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(edit, fc.nat()), { minLength: 1, maxLength: 4 }),
        (seed, edits) => {
          let doc = JSON.parse(readFileSync(seed.path, 'utf8')) as Json;
          for (const [e, pick] of edits) doc = e.apply(doc, pick);
          if (satisfiesSchema(seed.kind, doc)) valid++;
          expectSame([source(seed, JSON.stringify(doc, null, 2))]);
          // and merged with the file it came from
          expectSame([source(seed), source(seed, JSON.stringify(doc))]);
        },
      ),
      { numRuns: RUNS },
    );
    // the mutations must reach the lean reader, not only the schema's refusals
    expect(valid).toBeGreaterThan(RUNS / 4);
  });

  it('reads documents with the older serialization section as the careful reader does', () => {
    const unified = seeds.filter((s) => s.kind === 'unified');
    if (unified.length === 0) return;
    /** Documents the lean reader read to the end: the section is not always given up. */
    let lean = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...unified),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(edit, fc.nat()), { maxLength: 2 }),
        (seed, picks, edits) => {
          let doc = JSON.parse(readFileSync(seed.path, 'utf8')) as Json;
          for (const pick of picks) doc = toOlderSerialization(doc, pick);
          for (const [e, pick] of edits) doc = e.apply(doc, pick);
          if (
            satisfiesSchema(seed.kind, doc) &&
            leanReadable(seed.kind, doc) &&
            leanDocument(seed.kind, doc, seed.rel, undefined)
          )
            lean++;
          expectSame([source(seed, JSON.stringify(doc, null, 2))]);
          expectSame([source(seed), source(seed, JSON.stringify(doc))]);
        },
      ),
      { numRuns: Math.min(RUNS, 200) },
    );
    expect(lean).toBeGreaterThan(Math.min(RUNS, 200) / 10);
  });

  it('places every repeat of a file of many itself, each entry looked at again once at most', () => {
    // 3,000 types, then each again (every fifth under a condition, so not a repeat) and the first
    // once more: 2,401 repeats, each naming its first; looking back from each reads 3.6 M entries
    const types = Array.from({ length: 3000 }, (_, i) => ({ name: `p${i % 7}.T${i}`, allDeclaredFields: true }));
    const again = types.map((t, i) =>
      i % 5 === 0 ? { ...t, condition: { typeReachable: 'c.D' } } : { name: t.name, methods: [{ name: `m${i}` }] },
    );
    const doc = [...types, ...again, { name: 'p0.T0' }];
    expect(satisfiesSchema('reflect', doc)).toBe(true);
    const findings = leanDocument('reflect', doc, 'reflect-config.json', undefined);
    const repeats = findings?.filter((f) => f.code === 'duplicate-entry');
    expect(repeats).toHaveLength(2401);
    expect(repeats?.at(-1)).toMatchObject({
      jsonPointer: '/6000',
      message: expect.stringContaining('the entry at /0;'),
    });
    expectSame([{ file: 'reflect-config.json', text: JSON.stringify(doc), kind: 'reflect' }]);
  });
});

describe('reading in chunks', () => {
  const valid = files.filter((f) => statSync(f.path).size > 2000 && statSync(f.path).size < 64 * 1024).slice(0, 20);

  it('reads the whole text the usual way when a chunk cannot be read, as the careful reader does', () => {
    expect(valid.length).toBeGreaterThan(0);
    for (const f of valid) {
      const text = readFileSync(f.path, 'utf8');
      const careful = load([source(f, text)], 'careful');
      // half way, and after the last chunk, when what was read is a whole document
      for (const failAt of [text.length / 2, text.length]) {
        const pointers: EntryPointers = new Map();
        const reads = wholeReads;
        const r = loadSources([{ ...source(f, text), text: chunked(text, { failAt }) }], {
          pointers,
          piecewise: { from: 0, pieceSize: 300 },
        });
        expect({ set: setText(r.set), findings: r.findings, files: r.files, pointers: [...pointers] }).toEqual(careful);
        expect(wholeReads).toBe(reads + 1);
      }
    }
  });

  it('reports why a text cannot be read whole any more, and adds nothing', () => {
    const [f] = valid;
    const gone = finding('unreadable', 'x', '', 'cannot read it: no such file or directory');
    const r = loadSources([
      {
        file: f!.rel,
        kind: f!.kind,
        text: {
          bytes: 1,
          *chunks() {
            yield '{"reflection": [';
            throw new Error('gone');
          },
          whole: (file) => ({ ...gone, file }),
        },
      },
    ]);
    expect(r.files).toEqual([{ file: f!.rel, kind: f!.kind, findings: [{ ...gone, file: f!.rel }] }]);
    expect(r.set.reflection).toEqual([]);
  });
});

describe('reading for the findings only', () => {
  it('has no set to give', () => {
    const [f] = files;
    const only = loadSources([source(f!)], { findingsOnly: true });
    expect(() => only.set).toThrow(/findings only/);
  });
});
