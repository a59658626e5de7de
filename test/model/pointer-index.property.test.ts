/** The pointer index places a pointer where the one-scan locator it replaced did, on random documents and pointers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PointerIndex, locatePointer } from '../../src/model/json-text.js';
import type { Json } from '../json-edit.js';

/** The locator before the index: one forward scan per pointer (kept as the reference). */
function referenceLocate(text: string, tokens: readonly string[]): number {
  let best = skipSpace(text, 0);
  if (tokens.length === 0) return best;
  // `matched` = k: the scan is inside the member that tokens[0..k-1] select; the containers
  // on the stack are the ones entered, their depth is their position on the stack (from 1).
  const stack: { array: boolean; index: number }[] = [];
  let matched = 0;
  const select = (at: number): boolean => {
    matched = stack.length;
    best = at;
    return matched === tokens.length;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      // A string in an object followed by ':' is a key.
      if (top && !top.array && matched === stack.length - 1 && text.charCodeAt(skipSpace(text, end + 1)) === 0x3a) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (key === tokens[stack.length - 1] && select(i)) return i;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ array: c === 0x5b, index: 0 });
      if (c === 0x5b && matched === stack.length - 1 && tokens[stack.length - 1] === '0') {
        const at = skipSpace(text, i + 1);
        if (text.charCodeAt(at) !== 0x5d && select(at)) return at;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      // The container on the path ends: what the pointer names further down is not there.
      if (matched >= stack.length - 1) return best;
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top === undefined) continue;
      if (matched === stack.length) return best; // the selected member ended without the rest of the path
      if (top.array) {
        top.index++;
        if (matched === stack.length - 1 && tokens[stack.length - 1] === String(top.index)) {
          const at = skipSpace(text, i + 1);
          if (select(at)) return at;
        }
      }
    }
  }
  return best;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

const json: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Json>(null, true, false, 0, -1.5e3, 'x', '', 'a"b', 'c\\d', '[', '{}', ','),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c"d', 'e\\f', '0', '1', ' '), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** Every pointer into a value, and some that go past it. */
function pointers(v: Json, at: string[] = [], out: string[][] = []): string[][] {
  out.push(at, [...at, 'zz'], [...at, '7']);
  if (Array.isArray(v)) v.forEach((x, i) => pointers(x, [...at, String(i)], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) pointers(v[k]!, [...at, k], out);
  return out;
}

describe('PointerIndex', () => {
  it('agrees with the one-scan locator on every pointer, in any order, compact or indented', () => {
    fc.assert(
      fc.property(json, fc.boolean(), fc.integer({ min: 0, max: 1000 }), (v, indent, seed) => {
        const text = JSON.stringify(v, null, indent ? 2 : undefined);
        const all = pointers(v);
        // a fresh index per order: lookups in any order give the same answers
        const index = new PointerIndex(text);
        const order = all.map((p, i) => [p, (i * 7919 + seed) % all.length] as const).sort((a, b) => a[1] - b[1]);
        for (const [p] of order) expect(index.locate(p)).toBe(referenceLocate(text, p));
        for (const p of all) expect(locatePointer(text, p)).toBe(referenceLocate(text, p));
      }),
      { numRuns: 300 },
    );
  });

  it('reads a file with many findings once, not once per finding', () => {
    const text = JSON.stringify(
      { reflection: Array.from({ length: 20_000 }, (_, i) => ({ type: `a.B${i}` })) },
      null,
      2,
    );
    const index = new PointerIndex(text);
    const started = performance.now();
    for (let i = 19_999; i >= 0; i -= 7) index.locate(['reflection', String(i), 'type']);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(text.slice(index.locate(['reflection', '123', 'type']))).toMatch(/^"type": "a.B123"/);
  });
});
