import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'reports', '.stryker-tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The core must run in plain Node (tests, server): it never reaches for Electron or React.
    files: ['core/**/*.ts', 'migrations/**/*.ts', 'server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'electron',
            'react',
            'react-dom',
            {
              name: 'date-fns',
              // The package's index loads its 250 functions, each resolved through its package.json: seconds of the
              // counter's start-up on a busy PC, for the three functions the core uses (core/commonjs.ts).
              message: "Load the function alone: require('date-fns/format') from core/commonjs.ts.",
            },
          ],
          patterns: ['**/renderer/**', '**/electron/**'],
        },
      ],
    },
  },
  {
    // The core host runs in Electron's utility process and in the browser host's worker thread: plain Node.
    files: ['electron/core-host/**/*.ts', 'electron/browser-host/**/*.ts', 'electron/sync-runner.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'react-dom'],
          patterns: ['**/renderer/**', '**/main/core-process.ts'],
        },
      ],
    },
  },
  {
    // Values shared by the core, the server and the screens: plain TypeScript that runs anywhere, so it imports
    // nothing but its own folder and reads no host's globals.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(?!\\./[^/]+$)', message: 'shared/ imports only its own modules (./x.ts).' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'Buffer',
        'require',
        'window',
        'document',
        'localStorage',
      ],
    },
  },
  {
    // The renderer talks to the core only through window.counter; type-only imports of the contract are allowed.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/core/**'], allowTypeImports: true },
            { group: ['**/electron/**', 'better-sqlite3'] },
          ],
        },
      ],
    },
  },
);
