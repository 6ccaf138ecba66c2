// ESLint for the TypeScript sources (npm test runs it): typescript-eslint's recommended rules,
// plus the layer rule that the engine never imports the editor's or the protocol's APIs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
          { group: ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'The engine layers never import the editor or the protocol: put this in server/src/lsp or client/src.' },
          { group: ['**/lsp/**', '**/cli/**', '**/client/**'], message: 'The engine never imports an adapter (imports run one way: adapters → engine).' },
        ],
      }],
    },
  },
);
