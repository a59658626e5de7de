/**
 * The emitted text in pieces is the one serializer's text, byte for byte: on arbitrary JSON
 * values (odd strings, empty lists and objects, keys that look like numbers), on values with
 * keys JSON.stringify leaves out, and on the emitted corpus files.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitLegacy, emitUnified, jsonTextPieces, toJsonText } from '../../src/model/emit/index.js';
import { LazyList } from '../../src/model/emit/shared.js';
import { loadSources } from '../../src/ops/load.js';
import { CORPUS, corpusFiles } from '../helpers.js';

const RUNS = Number(process.env.NI_CONFIG_FUZZ_RUNS ?? 400);
const joined = (v: unknown): string => [...jsonTextPieces(v)].join('');

describe('jsonTextPieces', () => {
  it('gives toJsonText’s text for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(joined(v)).toBe(toJsonText(v));
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves out (or writes as null) what JSON.stringify does', () => {
    const v = {
      a: undefined,
      b: [undefined, () => 1, 2, { c: undefined, d: [] }],
      '1': {},
      e: { toJSON: () => 'x' },
      f: [[[]], { g: { h: 'a\nb"\u2028' } }],
    };
    expect(joined(v)).toBe(toJsonText(v));
    expect(joined({ a: undefined })).toBe(toJsonText({ a: undefined }));
    expect(joined([])).toBe(toJsonText([]));
    expect(joined('s')).toBe(toJsonText('s'));
  });

  it('writes long lists a group at a time with the same text', () => {
    for (const n of [2048, 2049, 4096, 5000]) {
      const long = Array.from({ length: n }, (_, i) =>
        i % 3 === 0 ? { a: [i, 'x\ny'], b: undefined } : i % 5 === 0 ? undefined : [i],
      );
      expect(joined(long)).toBe(toJsonText(long));
      expect(joined({ x: long, y: { z: long }, w: [] })).toBe(toJsonText({ x: long, y: { z: long }, w: [] }));
    }
  });

  it('writes a lazy list as the list it stands for, made afresh each time, and JSON.stringify takes it whole', () => {
    for (const n of [0, 1, 2047, 2048, 2049, 5000]) {
      const list = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? undefined : { i, s: `x\n${i}` }));
      let made = 0;
      const lazy = new LazyList(() => {
        made++;
        return list.values();
      });
      for (const doc of [lazy, { a: 1, list: lazy, b: [] }, { nested: { list: lazy } }]) {
        const plain = JSON.parse(JSON.stringify(doc, (_k, v: unknown) => v)) as unknown;
        expect(joined(doc), `${n} items`).toBe(toJsonText(plain));
        expect(toJsonText(doc)).toBe(toJsonText(plain));
      }
      expect(made).toBe(9);
    }
  });

  it('gives the emitted corpus files’ text', () => {
    const files = corpusFiles(CORPUS);
    const { set } = loadSources(files.map((f) => ({ file: f.rel, text: readFileSync(f.path, 'utf8'), kind: f.kind })));
    for (const emitted of [emitUnified(set), emitLegacy(set)])
      for (const value of emitted.files.values()) expect(joined(value)).toBe(toJsonText(value));
    // the lazy unified emit: the same files, the same text, the same notes
    const eager = emitUnified(set);
    const lazy = emitUnified(set, { lazy: true });
    expect([...lazy.files.keys()]).toEqual([...eager.files.keys()]);
    for (const [name, value] of lazy.files) expect(joined(value), name).toBe(toJsonText(eager.files.get(name)));
    expect(lazy.notes).toEqual(eager.notes);
    expect(lazy.notes.length).toBeGreaterThan(0);
  });
});
