/**
 * The emitted text in pieces is the one serializer's text, byte for byte: on arbitrary JSON
 * values (odd strings, empty lists and objects, keys that look like numbers), on values with
 * keys JSON.stringify leaves out, and on the emitted corpus files.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitLegacy, emitUnified, jsonTextPieces, toJsonText } from '../../src/model/emit/index.js';
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

  it('gives the emitted corpus files’ text', () => {
    const files = corpusFiles(CORPUS);
    const { set } = loadSources(files.map((f) => ({ file: f.rel, text: readFileSync(f.path, 'utf8'), kind: f.kind })));
    for (const emitted of [emitUnified(set), emitLegacy(set)])
      for (const value of emitted.files.values()) expect(joined(value)).toBe(toJsonText(value));
  });
});
