/**
 * Once per test run: say which suites a missing corpus leaves out, and how to run them; give the
 * binaries the tests spawn a code cache of the run's own (io/code-cache.ts), not the user's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_CACHE_ENV } from '../src/io/code-cache.js';
import { CORPUS_HINT, FULL_CORPUS } from './helpers.js';

export default function setup(): () => void {
  if (FULL_CORPUS === undefined)
    process.stderr.write(`ni-config tests: the whole-corpus suites are skipped; ${CORPUS_HINT}\n`);
  const own = process.env[CODE_CACHE_ENV] === undefined;
  const dir = own ? mkdtempSync(join(tmpdir(), 'ni-config-test-code-cache-')) : undefined;
  if (dir !== undefined) process.env[CODE_CACHE_ENV] = dir;
  return () => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
}
