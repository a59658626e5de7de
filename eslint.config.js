// Lint: typescript-eslint's recommended rules, no duplicate imports, and the house layers:
// model ← ops ← commands ← cli, with io and trace serving commands only. model and ops are
// pure (no file system, processes, network, or process globals); cli touches no file or process.
import tseslint from 'typescript-eslint';

const worldModules = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'http',
  'node:http',
  'https',
  'node:https',
  'net',
  'node:net',
  'fast-glob',
];

/** Import patterns that reach a layer, from anywhere below src/. */
const layer = (name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`, `./${name}/*`];
const above = (names, why) => ({ group: names.flatMap(layer), message: why });
const world = (why) => worldModules.map((name) => ({ name, message: why }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'coverage/**', 'build/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
    },
  },
  {
    // the bin is a CommonJS script (bin/package.json): Node starts it without its ES module loader;
    // so are the bench's references, measured against the floor, which is one too
    files: ['bin/**/*.js', 'bench/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: world('src/model is pure: do I/O in src/io'),
          patterns: [
            above(['ops', 'commands', 'cli', 'io', 'trace'], 'src/model is the lowest layer: it imports only itself'),
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/model is pure: pass what you need in' }],
    },
  },
  {
    files: ['src/ops/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: world('src/ops is pure: do I/O in src/io'),
          patterns: [above(['commands', 'cli', 'io', 'trace'], 'src/ops imports only src/model (and itself)')],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/ops is pure: pass what you need in' }],
    },
  },
  {
    files: ['src/io/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [above(['commands', 'cli', 'trace'], 'src/io serves the use cases: it imports only model and ops')],
        },
      ],
    },
  },
  {
    files: ['src/trace/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [above(['commands', 'cli'], 'src/trace serves the use cases: it imports model, ops and io')] },
      ],
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [above(['cli'], 'src/commands are below the CLI: they return results, the CLI renders them')] },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: world('src/cli renders and maps only: files and processes belong to the use cases'),
          patterns: [above(['io', 'trace'], 'src/cli reaches io and trace only through src/commands')],
        },
      ],
    },
  },
  {
    // github-script loads the action's helper with require(): it is CommonJS by necessity
    files: ['action/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
