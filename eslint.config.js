// ESLint flat config: TypeScript sources and tests, the editors' inline scripts, and the layer rules
// (src/lib never imports the nodes, the dev tools or Node-RED; the simulator never imports src/lib).
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const html = require('eslint-plugin-html');
const globals = require('globals');

const libForbidden = {
  patterns: [
    {
      group: ['**/nodes/**', '**/nodes', '**/dev/**', '**/dev'],
      message: 'src/lib is the Node-RED-free library: it never imports the nodes or the dev tools.',
    },
    { group: ['node-red', 'node-red/**', '@node-red/**'], message: 'src/lib never imports Node-RED.' },
  ],
};
const simulatorForbidden = {
  patterns: [
    {
      group: ['**/lib/**', '**/lib'],
      message: 'The simulator follows the documents, not our client: it never imports src/lib.',
    },
  ],
};

module.exports = tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.matrix/**',
      '.dev/**',
      'nodes/**/*.js',
      '.node-red/**',
      'coverage/**',
      'resources/snom-rules.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // refusing control characters in user input (CR/LF in a URL, NUL in a setting) is the point of those regexps
      'no-control-regex': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.name='process'][property.name='env'] > Identifier[name='NODE_TLS_REJECT_UNAUTHORIZED']",
          message: 'certificate trust is per phone',
        },
      ],
    },
  },
  { files: ['src/lib/**/*.ts'], rules: { 'no-restricted-imports': ['error', libForbidden] } },
  { files: ['src/simulator/**/*.ts'], rules: { 'no-restricted-imports': ['error', simulatorForbidden] } },
  {
    // tests drive untyped Node-RED runtimes (node-red-node-test-helper): their messages are `any`
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
    // and load Node-RED's own CommonJS modules (core nodes, the helper) with require
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // the editors' inline <script> blocks run in the browser with Node-RED's editor globals
    files: ['**/*.html'],
    plugins: { html },
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, RED: 'readonly', $: 'readonly', jQuery: 'readonly', SnomEditor: 'readonly' },
    },
    // jQuery handlers rebind `this`, so editor code keeps the node in a variable
    rules: {
      '@typescript-eslint/no-unused-vars': 'off',
      'no-unused-vars': ['error', { args: 'none' }],
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
  {
    // the editor code the package serves from resources/ runs in the browser too
    files: ['resources/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, RED: 'readonly', $: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
);
