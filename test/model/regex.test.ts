import { describe, expect, it } from 'vitest';
import { globAsPattern, javaRegexProblem, literalGlob } from '../../src/model/regex.js';

describe('javaRegexProblem', () => {
  it.each([
    '\\QMETA-INF/services/java.sql.Driver\\E',
    '.*\\.edn$',
    '\\Qorg/quartz/impl/jdbcjobstore/tables_\\E.*\\Q.sql\\E',
    'java.base:\\Qjdk/internal/icu/impl/data/icudt67b/nfc.nrm\\E',
    '(?i).*\\.properties',
    'a*+b++c?+',
    '(?>ab|a)c',
    '\\p{javaLowerCase}+\\p{Alpha}',
    'x{2,3}',
    '\\Q{}\\E',
    'a/b/c',
  ])('accepts the Java regex %s', (p) => {
    expect(javaRegexProblem(p)).toBeUndefined();
  });

  it.each([
    ['config/${env}.edn', /illegal repetition/],
    ['*.clj', /dangling meta character '\*'/],
    ['(abc', /unclosed group/],
    ['abc)', /unmatched closing/],
    ['[abc', /unclosed character class/],
    ['abc\\', /trailing backslash/],
    ['{2}x', /dangling quantifier/],
  ])('rejects %s', (p, message) => {
    expect(javaRegexProblem(p)).toMatch(message);
  });
});

describe('literal resources', () => {
  it('turns a quoted literal into a glob and back', () => {
    expect(literalGlob('\\QMETA-INF/services/x\\E')).toBe('META-INF/services/x');
    expect(globAsPattern('META-INF/services/x')).toBe('\\QMETA-INF/services/x\\E');
  });

  it('keeps patterns that are more than one literal, or whose literal has glob characters', () => {
    expect(literalGlob('\\Qa\\E.*')).toBeUndefined();
    expect(literalGlob('\\Qa*b\\E')).toBeUndefined();
    expect(literalGlob('\\Q\\E')).toBeUndefined();
    expect(globAsPattern('**/*.clj')).toBeUndefined();
  });
});
