#!/usr/bin/env node
'use strict';
// Entry point, a CommonJS script (bin/package.json says so): Node starts one without its ES module
// loader, a few milliseconds off every command. `--version` is answered without loading the CLI so
// that scripts asking for it pay no more than Node's own start-up. The CLI itself is one bundle
// (dist/bundle/cli.cjs), built by `npm run build`, which dist/bundle/load.cjs compiles with the
// code cache V8 made from it the last time (src/io/code-cache.ts). Before a command runs (not for
// help), V8 is tuned for a short process (src/cli/v8-tuning.ts).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { loadBundle } = require('../dist/bundle/load.cjs');
  const bundle = loadBundle(join(__dirname, '..', 'dist', 'bundle', 'cli.cjs'));
  const { main, runCleanups, tuneV8, untuneV8 } = bundle.exports;
  let interrupted = false;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      process.stderr.write(`\nni-config: interrupted (${signal}); cleaning up\n`);
      runCleanups().finally(() => process.exit(code));
    });
  }
  // A code cache must be made under the V8 flags the bundle was compiled under. Made after the
  // command (which sets back any flag it set; the bin sets back its own), it holds what the
  // command compiled too, and the first run of each command adds its code to a cache made by
  // another. V8 turning down the last one says some flag was not set back as it was, so this
  // one is made before they change: a wrong default costs one run, not every run.
  let tuned = false;
  let command = 'help';
  const beforeCommand = async (name) => {
    if (bundle.cache === 'rejected') bundle.save();
    command = name;
    tuned = true;
    await tuneV8();
  };
  const run = async () => {
    process.exitCode = await main(argv, undefined, { beforeCommand });
    if (tuned && bundle.wouldSave(command)) await untuneV8();
    bundle.save(command);
  };
  run().catch((e) => {
    // as Node ends a module whose top-level await rejects
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
