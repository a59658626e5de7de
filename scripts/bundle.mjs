// Bundles the compiled CLI (dist/cli/main.js and every module it loads) into one CommonJS script,
// dist/bundle/cli.cjs, and the loader the bin runs it with (dist/io/code-cache.js) into
// dist/bundle/load.cjs: the bin and both are CommonJS, so that Node's ES module loader is never
// started (a few milliseconds of every command). Node resolves and compiles one file instead of dozens of modules and their
// dependencies, and the loader gives V8 the code cache it made from that file the last time, so a
// command does not parse the bundle again (src/io/code-cache.ts). Modules the CLI imports lazily
// are still run lazily: each is wrapped in a function that runs it the first time it is imported.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Built-in modules that commands import as they load but most runs never call, loaded the first
 * time an export of them is asked for: Node's loading them costs every command that imports them
 * (nearly all: the modules that write files, run processes or read directories are imported by
 * most commands), whether it uses them or not. node:fs/promises (with readline and its streams)
 * about 2.5 ms; node:child_process (with net and its streams) about 5 ms, which commander
 * requires as it loads, for executable subcommands, which ni-config has none of. Each import of
 * one gets a stand-in whose exports (by the names this Node's module has) are getters that load
 * the module the first time one is read. A module whose export is read as a command loads (a
 * class extended, say) loses nothing: it is loaded then, as before.
 */
const LAZY_BUILTINS = ['node:child_process', 'node:fs/promises'];
const require = createRequire(import.meta.url);
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(?:${LAZY_BUILTINS.join('|')})$`);
    // (the stand-in's own require is of the module itself)
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const names = Object.keys(require(args.path)).filter((k) => k !== 'default');
      return {
        contents:
          `let m; const load = () => (m ??= require(${JSON.stringify(args.path)}));\n` +
          `for (const k of ${JSON.stringify(names)})\n` +
          '  Object.defineProperty(module.exports, k, { enumerable: true, get: () => load()[k] });\n',
        loader: 'js',
      };
    });
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
  plugins: [lazyBuiltins],
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
