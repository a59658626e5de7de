/**
 * Every exported function and class of src/ says in one JSDoc line what it is for (the house
 * rule of docs/architecture.md): a declaration without a doc comment right above it fails.
 */
import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';

const EXPORTED = /^export (?:async )?function |^export (?:abstract )?class |^export const \w+ = (?:async )?\(/;

/** The exported declarations in `text` with no doc comment ending on the line above (decorators and line comments between are skipped). */
export function undocumented(text: string): number[] {
  const lines = text.split('\n');
  const missing: number[] = [];
  lines.forEach((line, i) => {
    if (!EXPORTED.test(line)) return;
    let j = i - 1;
    while (j >= 0 && /^\s*(?:\/\/|@)/.test(lines[j]!)) j--;
    if (j < 0 || !/\*\/\s*$/.test(lines[j]!)) missing.push(i + 1);
  });
  return missing;
}

describe('doc comments', () => {
  it('finds an exported function without one, and not one with one', () => {
    expect(undocumented('/** Adds. */\nexport function add() {}\n\nexport function bare() {}\n')).toEqual([4]);
    expect(undocumented('/**\n * Long.\n */\n// why\nexport class A {}\n')).toEqual([]);
  });

  it('every exported function and class in src/ has one', () => {
    const missing = fg
      .sync('src/**/*.ts', { cwd: REPO })
      .flatMap((f) => undocumented(readFileSync(`${REPO}/${f}`, 'utf8')).map((line) => `${f}:${line}`));
    expect(missing).toEqual([]);
  });
});
