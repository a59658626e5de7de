#!/usr/bin/env node
// Entry point. `--version` is answered without loading the CLI so that scripts asking for it
// pay no more than Node's own start-up. The CLI itself is one bundle (dist/bundle), built by
// `npm run build`: resolving and compiling one file is much cheaper than dozens of modules.
// Before a command runs (not for help), V8 is tuned for a short process (src/cli/v8-tuning.ts).
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main, runCleanups, tuneV8 } = await import('../dist/bundle/main.js');
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
  process.exitCode = await main(argv, undefined, { beforeCommand: tuneV8 });
}
