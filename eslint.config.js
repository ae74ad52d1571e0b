import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import kefu from './eslint/kefu-rules.js';

// The rules and the one-line reason for each are listed in docs/ARCHITECTURE.md ("Rules the build checks").
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'docs/**', 'bench/**/last-result.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX, kefu },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
      // The cycle check must read TypeScript dependencies too, not only .js ones.
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'use a string-literal union, not enum' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines': ['error', { max: 400 }],
      'kefu/module-boundaries': 'error',
      'kefu/tables-of-in-schema': 'error',
    },
  },
  {
    // Accessibility of the console's and the widget's JSX (defect 10): labels tied to their
    // controls, alt text, roles, keyboard access. A maintained fork of eslint-plugin-jsx-a11y
    // (which does not support ESLint 10), with the same rules under the prefix jsx-a11y-x/.
    ...jsxA11y.configs.recommended,
    files: ['src/web/**/*.tsx', 'src/widget/**/*.tsx'],
  },
  {
    files: ['src/web/**/*.tsx', 'src/widget/**/*.tsx'],
    rules: {
      // A scrolling log (the widget's messages) takes focus so the keyboard can scroll it (axe: scrollable-region-focusable).
      'jsx-a11y-x/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'log'] }],
    },
  },
  {
    // Declaration merging needs `interface`: Fastify's, i18next's and Vitest's types, and each
    // module's events adding to the EventMap.
    files: [
      'src/server/http/auth.ts',
      'src/web/i18n/index.ts',
      'src/server/**/events.ts',
      'src/server/lib/events/types.ts',
      'src/server/testing/global-setup.ts',
    ],
    rules: {
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
);
