#!/usr/bin/env node
// Tokenizes sample lines with our TextMate grammars on top of VS Code's own YAML and JSON
// grammars, with the same tokenizer VS Code uses (vscode-textmate + vscode-oniguruma, taken from
// the code-server install that e2e/setup.sh made), and checks the scopes our injection adds:
// SCIM URNs in values, reference prefixes at the start of a value, and nothing in keys or
// comments. Runs in about a second; no browser needed.
//
// Usage: node e2e/check-grammars.mjs
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, loadEnv } from './lib/harness.mjs';

const env = loadEnv();
const vscodeDir = path.resolve(path.dirname(env.CODE_SERVER), '../../lib/vscode');
const require = createRequire(path.join(vscodeDir, 'package.json'));
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** scopeName → grammar file, from VS Code's built-in yaml/json extensions and from ours. */
const files = new Map();
const injections = new Map(); // target scope → injection scopes
function register(base, grammars) {
  for (const g of grammars) {
    files.set(g.scopeName, path.join(base, g.path));
    for (const target of g.injectTo ?? []) injections.set(target, [...(injections.get(target) ?? []), g.scopeName]);
  }
}
for (const ext of ['yaml', 'json']) {
  const dir = path.join(vscodeDir, 'extensions', ext);
  register(dir, JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).contributes.grammars);
}
register(ROOT, pkg.contributes.grammars);

const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new textmate.Registry({
  onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
  loadGrammar: async (scope) => {
    const file = files.get(scope);
    return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
  },
  getInjections: (scope) => injections.get(scope),
});

/** The scopes of the token that is (else contains) `text` on the last line of `lines`. */
async function scopesOf(scope, lines, text) {
  const grammar = await registry.loadGrammar(scope);
  let state = textmate.INITIAL;
  let tokens = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    tokens = r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  }
  const hit = tokens.find((t) => t.text === text) ?? tokens.find((t) => t.text.includes(text));
  if (!hit) throw new Error(`no token "${text}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return hit.scopes;
}

const YAML = 'source.scim-agents.yaml';
const JSON_ = 'source.scim-agents.json';
const KIND = 'keyword.other.reference-kind.scim-agents';
const REF = 'variable.other.reference.scim-agents';
const URN = 'support.type.scim-urn.namespace.scim-agents';
const cases = [
  // [grammar, lines, token, scope expected (or null: none of ours)]
  [YAML, ['schemas:', '  - urn:ietf:params:scim:schemas:core:2.0:Agent'], 'urn:ietf:params:scim', URN],
  [YAML, ['owners:', '  - value: user:alice@example.com'], 'user', KIND],
  [YAML, ['owners:', '  - value: user:alice@example.com'], 'alice@example.com', REF],
  [YAML, ['owners:', '  - value: "group:Support Engineering"'], 'group', KIND],
  [YAML, ['owners:', "  - value: 'group:Support Engineering' # a team"], 'Support Engineering', REF],
  [YAML, ['agents:', '  - value: agent:triage-bot  # bound'], 'triage-bot', REF],
  [YAML, ['parent:', '  value: application:support-desk'], 'application', KIND],
  [YAML, ['description: ask user:alice first'], 'user:alice', null],
  [YAML, ['# owner: user:alice'], 'user', null],
  [YAML, ['user: alice'], 'user', null],
  [JSON_, ['{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"]'], 'urn:ietf:params:scim', URN],
  [JSON_, ['{"owners": [{"value": "user:alice@example.com"}]'], 'user', KIND],
  [JSON_, ['{"agents": [{"value": "agent:triage-bot"}]'], 'triage-bot', REF],
  [JSON_, ['{"user:alice": 1}'], 'user:alice', null],
];

let failures = 0;
for (const [scope, lines, token, expected] of cases) {
  const label = `${scope === YAML ? 'yaml' : 'json'} ${JSON.stringify(lines.at(-1))} "${token}"`;
  try {
    const scopes = await scopesOf(scope, lines, token);
    const ours = scopes.filter((s) => s.endsWith('.scim-agents'));
    const ok = expected === null ? ours.length === 0 : scopes.includes(expected);
    if (!ok) throw new Error(`expected ${expected ?? 'none of our scopes'}, got ${scopes.join(' ')}`);
    console.log(`ok   ${label}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${label}: ${err.message}`);
  }
}
console.log(`${cases.length - failures}/${cases.length} grammar checks passed`);
process.exit(failures ? 1 : 0);
