import { describe, expect, it } from 'vitest';
import { classNameProblem, isHiddenClassName, memberNameProblem, normaliseTypeName } from '../../src/model/names.js';

describe('normaliseTypeName', () => {
  it.each([
    ['[B', 'byte[]'],
    ['[[I', 'int[][]'],
    ['[Z', 'boolean[]'],
    ['[Ljava.lang.Object;', 'java.lang.Object[]'],
    ['[[Ljava.lang.String;', 'java.lang.String[][]'],
    ['[Ljava/lang/String;', 'java.lang.String[]'],
    ['java.lang.String[]', 'java.lang.String[]'],
    ['java.lang.String', 'java.lang.String'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseTypeName(raw)).toBe(expected);
  });

  it('leaves malformed descriptors alone so that validation can name them', () => {
    expect(normaliseTypeName('[Q')).toBe('[Q');
    expect(normaliseTypeName('[Ljava.lang.String')).toBe('[Ljava.lang.String');
    expect(classNameProblem(normaliseTypeName('[Ljava.lang.String'))).toMatch(/malformed array descriptor/);
  });
});

describe('classNameProblem', () => {
  it.each([
    'java.lang.String',
    'scala.collection.immutable.$colon$colon',
    'java.lang.package-info',
    'int',
    'byte[][]',
    'a.B$C[]',
    'Top',
  ])('accepts %s', (n) => {
    expect(classNameProblem(n)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    [' org.postgresql.Driver', /white space/],
    ['java/lang/String', /not a package separator/],
    ['java..String', /empty segment/],
    ['java.lang.String;', /';'/],
    ['java.lang[].String', /array brackets/],
    ['void[]', /void/],
  ])('rejects %j', (n, message) => {
    expect(classNameProblem(n)).toMatch(message);
  });

  it('tells hidden classes apart', () => {
    expect(isHiddenClassName('x.Y$$Lambda$24/0x0000000800c03000')).toBe(true);
    expect(isHiddenClassName('x.Y$$Lambda')).toBe(true);
    expect(isHiddenClassName('x.Y$1')).toBe(false);
    expect(classNameProblem('x.Y$$Lambda$24/0x0000000800c03000')).toBeUndefined();
  });
});

describe('memberNameProblem', () => {
  it('follows the JVM rules, not Java source rules', () => {
    expect(memberNameProblem('0bitmap$1', 'field')).toBeUndefined();
    expect(memberNameProblem('<init>', 'method')).toBeUndefined();
    expect(memberNameProblem('<clinit>', 'method')).toMatch(/static initializers/);
    expect(memberNameProblem('a.b', 'field')).toMatch(/not allowed/);
    expect(memberNameProblem('<foo>', 'method')).toMatch(/not a method name/);
  });
});
