// Bundles the compiled CLI (dist/cli/main.js and every module it loads) into one CommonJS script,
// dist/bundle/cli.cjs, and the loader the bin runs it with (dist/io/code-cache.js) into
// dist/bundle/load.cjs: the bin and both are CommonJS, so that Node's ES module loader is never
// started (a few milliseconds of every command). Node resolves and compiles one file instead of dozens of modules and their
// dependencies, and the loader gives V8 the code cache it made from that file the last time, so a
// command does not parse the bundle again (src/io/code-cache.ts). Modules the CLI imports lazily
// are still run lazily: each is wrapped in a function that runs it the first time it is imported.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

/**
 * commander requires node:child_process as it loads, for executable subcommands, which ni-config
 * has none of; Node's loading it (with net and its streams) costs every command about 5 ms. Its
 * import from commander gets a stand-in that loads the module the first time an export of it is
 * asked for. Commands that run processes import it themselves.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents:
        "let m; const load = () => (m ??= require('node:child_process'));\n" +
        'module.exports = new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load() });\n',
      loader: 'js',
    }));
  },
};

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: ['dist/cli/main.js'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/cli.cjs',
  // jsonc-parser's UMD build requires its own files at run time; its ESM build bundles cleanly
  mainFields: ['module', 'main'],
  // strict, as the ES modules it is made of are; `import.meta.url` is the bundle's own URL (it sits
  // as deep in dist/ as the modules that ask, so their relative URLs still point where they did)
  banner: { js: "'use strict';const __niModuleUrl=require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__niModuleUrl' },
  // `import('node:…')` becomes a require() when it runs: the script is not a module, and has no import()
  supported: { 'dynamic-import': false },
  // whitespace and syntax only: a run that no code cache serves parses the whole bundle, and a
  // third less text is about 20 ms off it. Names stay, so stack traces read.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyChildProcessForCommander],
  logLevel: 'warning',
});

await build({
  entryPoints: ['dist/io/code-cache.js'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/load.cjs',
  logLevel: 'warning',
});
