/** "Did you mean": close typos get the name they meant; other words get nothing. */
import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../../src/model/suggest.js';

const REFLECT_KEYS = ['name', 'allDeclaredFields', 'allPublicFields', 'allDeclaredMethods', 'fields', 'methods'];

describe('closest', () => {
  it('finds the key a typo meant: a swap, a missing letter, a difference of case', () => {
    expect(closest('allDeclaredFeilds', REFLECT_KEYS)).toBe('allDeclaredFields');
    expect(closest('allDeclaredMethod', REFLECT_KEYS)).toBe('allDeclaredMethods');
    expect(closest('AllPublicFields', REFLECT_KEYS)).toBe('allPublicFields');
    expect(closest('clojur', ['clojure', 'launcher', 'default'])).toBe('clojure');
  });

  it('suggests nothing for another word, an exact name, or no candidates', () => {
    expect(closest('condition', REFLECT_KEYS)).toBeUndefined();
    expect(closest('ab', ['xy'])).toBeUndefined();
    expect(closest('name', REFLECT_KEYS)).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });

  it('formats the hint for a message', () => {
    expect(didYouMean('presetz', ['presets', 'rules'])).toBe("; did you mean 'presets'?");
    expect(didYouMean('zzz', ['presets'])).toBe('');
  });
});
