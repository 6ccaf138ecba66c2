// ESLint for the TypeScript sources (npm test runs it): typescript-eslint's recommended rules,
// plus the layer rules: the engine never imports the editor's or the protocol's APIs, nor a layer above it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The engine's floors, lowest first (ARCHITECTURE.md draws them). A folder imports only folders
// on lower floors: never one above it, never a neighbour on its own floor.
const FLOORS = [
  ['util'],
  ['manifest', 'schema', 'config'],
  ['model', 'scim', 'sandbox', 'format'],
  ['workspace'],
  ['rules'],
  ['lint'],
  ['provision'],
  ['governance'],
];
// Folders that are imported by their index file (`../scim`) as well as by a file inside them.
const IMPORTED_WHOLE = new Set(['scim', 'sandbox', 'workspace', 'provision', 'governance']);
const ADAPTER_PATTERNS = [
  { group: ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'The engine layers never import the editor or the protocol: put this in server/src/lsp or client/src.' },
  { group: ['**/lsp/**', '**/cli/**', '**/client/**'], message: 'The engine never imports an adapter (imports run one way: adapters → engine).' },
];

function layerRule(folder, floor) {
  const above = FLOORS.slice(floor).flat().filter((other) => other !== folder);
  if (above.length === 0) return { files: [`server/src/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns: ADAPTER_PATTERNS }] } };
  const group = above.flatMap((other) => (IMPORTED_WHOLE.has(other) ? [`**/${other}/**`, `**/${other}`] : [`**/${other}/**`]));
  return {
    files: [`server/src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...ADAPTER_PATTERNS, { group, message: `server/src/${folder} imports only layers below its floor (FLOORS in eslint.config.mjs), never: ${above.join(', ')}.` }] }],
    },
  };
}

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
  ...FLOORS.flatMap((folders, floor) => folders.map((folder) => layerRule(folder, floor))),
);
