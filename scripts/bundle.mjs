// Bundles the compiled CLI (dist/cli/main.js and the command modules it loads lazily) into
// dist/bundle: Node resolves and compiles a handful of files instead of dozens of modules and
// their dependencies, which is most of a short command's run time. Lazy command imports stay
// lazy (code splitting), so `ni-config --help` does not load what `diff` needs.
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
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  // jsonc-parser's UMD build requires its own files at run time; its ESM build bundles cleanly
  mainFields: ['module', 'main'],
  // CommonJS dependencies call require() for Node built-ins; give the ESM chunks one
  banner: {
    js: "import { createRequire as __niCreateRequire } from 'node:module'; const require = __niCreateRequire(import.meta.url);",
  },
  // whitespace and syntax only: Node parses each chunk before it runs, and a third less text is
  // about 20 ms off a short command (diff of two small trees). Names stay, so stack traces read.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyChildProcessForCommander],
  logLevel: 'warning',
});
