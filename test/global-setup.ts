/** Once per test run: say which suites a missing corpus leaves out, and how to run them. */
import { CORPUS_HINT, FULL_CORPUS } from './helpers.js';

export default function setup(): void {
  if (FULL_CORPUS === undefined)
    process.stderr.write(`ni-config tests: the whole-corpus suites are skipped; ${CORPUS_HINT}\n`);
}
