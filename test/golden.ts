/** Golden files: compared whole, updated with `vitest -u` — but never rewritten to empty. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO } from './helpers.js';

/** Checks `text` against fixtures/<path>; an empty text fails before the file could be overwritten with it. */
export async function expectGolden(text: string, path: string): Promise<void> {
  expect(text.trim(), `${path}: the output is empty, so it is not compared (nor written with -u)`).not.toBe('');
  await expect(text).toMatchFileSnapshot(join(REPO, 'fixtures', path));
}
