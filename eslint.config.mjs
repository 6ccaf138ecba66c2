// ESLint for the TypeScript sources (npm test runs it): typescript-eslint's recommended rules,
// plus the layer rules: the engine never imports the editor's or the protocol's APIs; the
// client/server protocol module imports nothing but engine types; the client reaches the server's
// code through that module only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const EDITOR_AND_LSP = ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*'];
const ENGINE = ['manifest', 'schema', 'rules', 'workspace', 'scim', 'provision', 'governance', 'sandbox', 'format', 'config', 'model', 'util'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'schemas/generated/**', 'test/peers/**', 'e2e/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore says "deliberately unused" (destructuring a property away, a callback's position).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Escaping and rejecting control characters from untrusted input is what those patterns are for.
      'no-control-regex': 'off',
      // Errors are rethrown with their message scrubbed of tokens on purpose: a `cause` would carry the unscrubbed one.
      'preserve-caught-error': 'off',
      // A closure that reads a variable before its one assignment (a callback handed to a constructor) needs `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests pick apart JSON answers of real servers; a cast per field would hide nothing.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ENGINE.map((d) => `server/src/${d}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: EDITOR_AND_LSP, message: 'The engine layers never import the editor or the protocol: put this in server/src/lsp or client/src.' },
          { group: ['**/lsp/**', '**/cli/**', '**/client/**'], message: 'The engine never imports an adapter (imports run one way: adapters → engine).' },
        ],
      }],
    },
  },
  {
    // Bundled into the client (Node and browser) and the server: neither side's library may come along.
    files: ['server/src/lsp/protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: [...EDITOR_AND_LSP, 'vscode-*'], message: 'The protocol module is imported by both sides: constants and types only, no editor or LSP library.' },
          { group: ['../../**'], allowTypeImports: true, message: 'The protocol module imports engine types only (import type): it is bundled into the client.' },
          { group: ['../*', '!../../**'], message: 'The protocol module never imports the rest of the language server.' },
        ],
      }],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/server/src/*', '!**/server/src/lsp', '**/server/src/lsp/*', '!**/server/src/lsp/protocol'], message: 'The client talks to the server through the protocol module (server/src/lsp/protocol) only.' },
        ],
      }],
    },
  },
);
