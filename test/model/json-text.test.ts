import { describe, expect, it } from 'vitest';
import { TextLocator, documentRuns, locatePointer, parseJsonText } from '../../src/model/json-text.js';

describe('locatePointer', () => {
  const doc = '{"a": [1, {"b": 2, "c\\"d": [3]}], "e": {}}';
  it.each([
    [['a', '1', 'c"d', '0'], '3]}]'],
    [['a', '1', 'b'], '"b": 2'],
    [['a', '0'], '1, {'],
  ])('finds %j', (tokens, at) => {
    expect(doc.slice(locatePointer(doc, tokens))).toMatch(new RegExp(`^${at.replace(/[[\]{}()]/g, '\\$&')}`));
  });

  it('falls back to the deepest part of the path that exists', () => {
    expect(doc.slice(locatePointer(doc, ['a', '1', 'x']))).toMatch(/^\{"b"/);
    expect(doc.slice(locatePointer(doc, ['e', 'z']))).toMatch(/^"e"/);
    expect(doc.slice(locatePointer(doc, ['a', '5']))).toMatch(/^"a"/);
  });

  it('tells members of sibling objects apart and handles deep nesting without recursion', () => {
    expect(locatePointer('{"x": {"a": 1}, "y": {"a": 2}}', ['y', 'a'])).toBe(22);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(locatePointer(deep, Array(50_000).fill('0'))).toBe(50_000);
  });
});

describe('parseJsonText and TextLocator', () => {
  it('places findings at line and column', () => {
    const text = '[\n  {"name": "a"},\n  {"name": 5}\n]';
    const loc = new TextLocator(text);
    expect(loc.lineCol(locatePointer(text, ['1', 'name']))).toEqual({ line: 3, col: 4 });
  });

  it('says what it expected and what it found', () => {
    const r = parseJsonText('{"a": [1, 2,, 3]}', 'f.json');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.finding).toMatchObject({ code: 'json-syntax', offset: 12, message: 'expected a value, found ","' });
  });

  it('accepts comments and trailing commas only where asked', () => {
    expect(parseJsonText('{/* c */ "a": 1,}', 'f.jsonc', true)).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonText('{/* c */ "a": 1}', 'f.json').ok).toBe(false);
  });
});

describe('documentRuns', () => {
  /** The text in chunks of `n` characters. */
  const chunksOf = (text: string, n: number): string[] =>
    Array.from({ length: Math.ceil(text.length / n) }, (_, i) => text.slice(i * n, (i + 1) * n));
  /** Every element the runs gave, the members and the run count; undefined when the scan gave up. */
  const scan = (text: string, chunk: number, size: number) => {
    const items: unknown[] = [];
    let runs = 0;
    const rest = documentRuns(chunksOf(text, chunk), 'reflection', size, (run) => {
      items.push(...run);
      runs++;
      return true;
    });
    return rest && { items, runs, members: rest.members, lookedUp: rest.lookedUp };
  };
  const entries = Array.from({ length: 60 }, (_, i) => ({
    type: `a.C${i}`,
    // strings that hold what a boundary looks like, escaped as JSON must escape them
    ...(i % 5 === 0 ? { reason: `x\n    },\n    {"y": ${i}` } : {}),
    methods: [
      { name: 'm', parameterTypes: [] },
      { name: `n${i}`, parameterTypes: ['int'] },
    ],
  }));
  const doc = { reflection: entries, resources: [{ glob: 'a' }, { glob: 'b' }] };
  // nested objects printed with the elements' own indent: a look-up finds boundaries that are none
  const flatIndented = (list: readonly unknown[]): string =>
    `{"reflection": [\n${list.map((e) => `  ${JSON.stringify(e, null, 1).replace(/\n */g, '\n  ')}`).join(',\n')}\n]}`;
  const flatIndent = flatIndented(entries);

  it('gives every element, in runs, however the text is printed and cut into chunks', () => {
    const texts = {
      pretty: JSON.stringify(doc, null, 2),
      'four spaces': JSON.stringify(doc, null, 4),
      tabs: JSON.stringify(doc, null, '\t'),
      minified: JSON.stringify(doc),
      // one element a line: no line break before a closing brace
      'one a line': `{"reflection": [\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n], "resources": []}`,
      'flat indent': flatIndent,
    };
    for (const [how, text] of Object.entries(texts))
      for (const chunk of [7, 64, 100_000])
        for (const size of [50, 400, 1_000_000]) {
          const r = scan(text, chunk, size);
          expect(r?.items, `${how}, chunks of ${chunk}, runs of ${size}`).toEqual(JSON.parse(text).reflection);
          expect(r!.runs, how).toBeGreaterThanOrEqual(size === 50 ? 10 : 1);
          const other = (JSON.parse(text) as { resources?: unknown }).resources;
          expect(r!.members).toEqual(other === undefined ? [] : [expect.stringMatching(/^"resources":/)]);
        }
  });

  it('cuts the runs of a list with line breaks between its elements by the native look-up, and only those', () => {
    // the runs are the same either way (the test above), so this says which way they were found
    const lookedUp = (text: string, chunk: number, size: number) => {
      const r = scan(text, chunk, size)!;
      return { lookedUp: r.lookedUp, runs: r.runs };
    };
    for (const indent of [2, 4, '\t'])
      for (const chunk of [7, 64, 100_000]) {
        // every run but the last one or two: the last ends at the closing bracket, and one before it
        // is scanned when fewer than two runs' worth of text is left and no boundary is in it
        const r = lookedUp(JSON.stringify(doc, null, indent), chunk, 400);
        expect(r.runs).toBeGreaterThan(5);
        expect(r.lookedUp, `indent ${indent}, chunks of ${chunk}`).toBeGreaterThanOrEqual(r.runs - 2);
      }
    // no line break between elements: nothing to look for
    expect(lookedUp(JSON.stringify(doc), 64, 400).lookedUp).toBe(0);
    // one element a line: a line break between them is enough
    const oneALine = lookedUp(`{"reflection": [\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}`, 64, 400);
    expect(oneALine.lookedUp).toBeGreaterThanOrEqual(oneALine.runs - 2);
    // a look-up misled by a nested object at the elements' indent: the rest of the list is scanned.
    // Elements with one method have no such object, so the first half is cut by the look-up.
    const half = entries.map((e, i) => (i < 30 ? { ...e, methods: e.methods.slice(0, 1) } : e));
    const halfMisleading = flatIndented(half);
    const misled = scan(halfMisleading, 64, 400)!;
    expect(misled.items).toEqual(half);
    expect(misled.lookedUp).toBeGreaterThan(2);
    expect(misled.lookedUp).toBeLessThan(misled.runs / 2 + 1);
  });

  it('gives up a list that is no list of values, wherever the fault is', () => {
    const text = JSON.stringify(doc, null, 2);
    const at = text.indexOf('"a.C41"');
    const end40 = text.lastIndexOf('},', at);
    const start41 = text.lastIndexOf('{', at);
    const broken = [
      // a comma missing between two elements, far into the list
      text.slice(0, end40 + 1) + text.slice(end40 + 2),
      // an element that does not close
      text.slice(0, at) + text.slice(at).replace('"methods"', '"methods": {'),
      // something that is no value in place of an element
      text.slice(0, start41) + 'nope, ' + text.slice(start41),
    ];
    for (const t of broken) {
      expect(() => JSON.parse(t) as unknown).toThrow();
      for (const size of [50, 400]) expect(scan(t, 64, size)).toBeUndefined();
    }
  });
});
