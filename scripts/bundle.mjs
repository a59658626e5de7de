// Bundles the compiled CLI (dist/cli/main.js and the command modules it loads lazily) into
// dist/bundle: Node resolves and compiles a handful of files instead of dozens of modules and
// their dependencies, which is most of a short command's run time. Lazy command imports stay
// lazy (code splitting), so `ni-config --help` does not load what `diff` needs.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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
  logLevel: 'warning',
});
