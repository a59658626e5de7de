import { describe, expect, it } from 'vitest';
import { TextLocator, locatePointer, parseJsonText } from '../../src/model/json-text.js';

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
