// Lint: typescript-eslint's recommended rules, plus the house rule that src/model and src/ops
// stay pure (no file system, processes, network, or process globals).
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

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/model/**/*.ts', 'src/ops/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: worldModules.map((name) => ({ name, message: 'src/model and src/ops are pure: do I/O in src/io' })) },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/model and src/ops are pure: pass what you need in' },
      ],
    },
  },
  {
    // github-script loads the action's helper with require(): it is CommonJS by necessity
    files: ['action/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
