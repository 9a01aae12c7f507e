// The lint, and the rules that keep the simulation core pure. The type check already hides the
// DOM, worker and Node globals from src/sim; these rules catch what the ES library itself offers
// (Math.random, Date.now, new Date()) and imports that would cross a boundary.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noNode = 'The simulation core runs in a browser worker too: no Node modules.';
const impure = 'The simulation core is deterministic: time and randomness are handed in (see src/sim/random).';

export default tseslint.config(
  { basePath: '../..' },
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/sim/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: impure },
        { object: 'Date', property: 'now', message: impure },
        { object: 'performance', property: 'now', message: impure },
        { object: 'crypto', property: 'getRandomValues', message: impure },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: impure },
        { selector: "CallExpression[callee.name='Date']", message: impure },
      ],
      'no-restricted-globals': ['error', ...['window', 'document', 'self', 'globalThis', 'setTimeout', 'setInterval',
        'clearTimeout', 'clearInterval', 'requestAnimationFrame', 'queueMicrotask', 'performance', 'crypto', 'fetch',
        'process', 'require', 'Worker', 'postMessage'].map((name) => ({ name, message: impure }))],
      'no-restricted-imports': [
        'error',
        {
          // Bare names only: a pattern `url` would also refuse the core's own `./scenario/url`.
          paths: ['fs', 'path', 'os', 'child_process', 'worker_threads', 'url', 'crypto'].map((name) => ({ name, message: noNode })),
          patterns: [
            { group: ['react', 'react-*', 'react/*', '@xyflow/*', 'motion', 'motion/*', 'zustand', 'zustand/*'], message: 'The simulation core knows nothing of the page.' },
            { group: ['node:*'], message: noNode },
            { group: ['**/app/**', '**/worker/**', '**/cli/**', '**/bench/**', '../../app/*', '../../worker/*', '../../cli/*'], message: 'Dependencies point one way: src/sim imports nothing outside itself.' },
          ],
        },
      ],
    },
  },
  {
    // The page, the worker, the command line and the benchmarks use the core through one door.
    files: ['src/app/**/*.{ts,tsx}', 'src/worker/**/*.ts', 'src/cli/**/*.ts', 'src/bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sim/**'],
              message: 'Outside src/sim, use the simulation core through its door, src/sim/index.ts (import from the folder, e.g. \'../sim\'); export from there what you need.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ['src/worker/**/*.ts'], languageOptions: { globals: globals.worker } },
  { files: ['src/cli/**/*.ts', 'src/bench/**/*.ts', 'tests/**/*.ts', '*.ts'], languageOptions: { globals: globals.node } },
);
