// Fuzzing the language server over stdio (dist/server.js): random and mutated documents, every
// request it offers at random positions (in range and past it), random incremental edits.
// Every request answers within its budget, the process never exits, and every published
// diagnostic range lies inside the text of the version it was published for (mirrored here with
// the same TextDocument implementation the server uses). Seeded: see test/fuzz/seed.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-protocol';
import { LspClient, removeWorkspace, tempWorkspace } from '../protocol/lspClient';
import { manifestArb, mutatedArb, noiseArb } from './generators';
import { fuzzRuns, fuzzSeed, withCause } from './seed';

const seed = fuzzSeed('language server');
/** Per request: the server answers in milliseconds; seconds means it is stuck. */
const REQUEST_BUDGET_MS = 5_000;

const PEOPLE = `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: alice
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Group]
displayName: AI Platform Team
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: support-triage
name: support-triage
owners: [{value: user:alice}]
`;

type Op =
  | { kind: 'completion' | 'hover' | 'definition' | 'references'; at: Position }
  | { kind: 'codeAction'; range: Range }
  | { kind: 'documentSymbol' }
  | { kind: 'edit'; range: Range; text: string }
  | { kind: 'replace'; text: string };

const position = fc.record({ line: fc.nat({ max: 60 }), character: fc.nat({ max: 120 }) });
const range = fc
  .tuple(position, position)
  .map(([a, b]) => (a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a }));
const insertion = fc.oneof(
  fc.constantFrom('', '\n', ': ', '- ', '  ', '[', '{', '"', 'owners:\n  - value: user:', 'agent:', '&a ', '*a', '\r\n', '\t', 'DisplayName: X\n'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constantFrom('completion' as const, 'hover' as const, 'definition' as const, 'references' as const), at: position }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('codeAction' as const), range }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'documentSymbol' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), range, text: insertion }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), text: fc.oneof(mutatedArb('yaml'), noiseArb) }) },
);

function insideText(doc: TextDocument, r: Range): boolean {
  const lines = doc.getText().split(/\r\n|\r|\n/);
  const ok = (p: Position) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && ordered;
}

/** TextDocument.update changes the document in place: keep each version's own copy. */
function copy(doc: TextDocument): TextDocument {
  return TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
}

function within<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${REQUEST_BUDGET_MS} ms`)), REQUEST_BUDGET_MS);
    }),
  ]);
}

describe('language server fuzzing', () => {
  let root: string;
  let client: LspClient;
  let exited: string | undefined;
  /** Every version of every document, as the client sent it. */
  const mirror = new Map<string, Map<number, TextDocument>>();
  const violations: string[] = [];
  let requests = 0;
  let edits = 0;
  let publications = 0;
  let slowest = 0;

  /** Every publication for `uri` so far, against the text of the version it names. */
  function checkPublished(uri: string): void {
    const versions = mirror.get(uri)!;
    for (const p of client.published.get(uri) ?? []) {
      publications++;
      const doc = p.version !== undefined ? versions.get(p.version) : undefined;
      if (!doc) {
        violations.push(`${uri}: diagnostics for unknown version ${p.version}`);
        continue;
      }
      for (const d of p.diagnostics) {
        if (!insideText(doc, d.range)) violations.push(`${uri} v${p.version}: ${d.code} ${JSON.stringify(d.range)} outside the text (${doc.lineCount} lines)`);
        if (d.code === 'syntax-error' && d.range.start.line !== d.range.end.line)
          violations.push(`${uri} v${p.version}: syntax-error spans lines ${JSON.stringify(d.range)}`);
      }
    }
  }

  before(async () => {
    root = tempWorkspace({ 'people.agents.yaml': PEOPLE });
    client = await LspClient.start(root, { initializationOptions: { diagnosticsDelayMs: 10 } });
    client.proc.once('exit', (code, signal) => {
      exited = `server exited (code ${code}, signal ${signal})`;
    });
    await client.diagnostics(client.uri('people.agents.yaml'), () => true, 'the workspace to be indexed');
  });

  after(async () => {
    console.log(
      `[fuzz] language server: ${requests} requests, ${edits} edits, ${publications} diagnostic publications checked, slowest answer ${Math.round(slowest)} ms, seed ${seed}`,
    );
    await client.stop();
    removeWorkspace(root);
  });

  test('random requests and edits on random documents: always answered, never a crash, ranges inside', async () => {
    let n = 0;
    await fc
      .assert(
        fc.asyncProperty(
          fc.oneof(manifestArb('yaml'), mutatedArb('yaml'), manifestArb('json'), mutatedArb('json'), noiseArb),
          fc.array(opArb, { minLength: 5, maxLength: 25 }),
          async (initial, ops) => {
            const json = initial.trimStart().startsWith('{') || initial.trimStart().startsWith('[');
            const uri = client.uri(`fuzz${n++}.agent.${json ? 'json' : 'yaml'}`);
            let doc = TextDocument.create(uri, json ? 'scim-agents-json' : 'scim-agents-yaml', 1, initial);
            mirror.set(uri, new Map([[1, doc]]));
            client.open(uri, initial);
            for (const op of ops) {
              const started = performance.now();
              const textDocument = { uri };
              switch (op.kind) {
                case 'completion':
                case 'hover':
                case 'definition':
                  await within(op.kind, client.request(`textDocument/${op.kind}`, { textDocument, position: op.at }));
                  break;
                case 'references':
                  await within(op.kind, client.request('textDocument/references', { textDocument, position: op.at, context: { includeDeclaration: true } }));
                  break;
                case 'codeAction': {
                  const diagnostics = client.latest(uri)?.diagnostics ?? [];
                  await within(op.kind, client.request('textDocument/codeAction', { textDocument, range: op.range, context: { diagnostics } }));
                  break;
                }
                case 'documentSymbol':
                  await within(op.kind, client.request('textDocument/documentSymbol', { textDocument }));
                  break;
                case 'edit': {
                  const version = client.edit(uri, op.range, op.text);
                  doc = TextDocument.update(copy(doc), [{ range: op.range, text: op.text }], version);
                  mirror.get(uri)!.set(version, doc);
                  edits++;
                  break;
                }
                case 'replace': {
                  const version = client.change(uri, op.text);
                  doc = TextDocument.update(copy(doc), [{ text: op.text }], version);
                  mirror.get(uri)!.set(version, doc);
                  edits++;
                  break;
                }
              }
              if (op.kind !== 'edit' && op.kind !== 'replace') {
                requests++;
                slowest = Math.max(slowest, performance.now() - started);
              }
              assert.equal(exited, undefined, exited);
            }
            // The final version gets its diagnostics: the server is neither stuck nor dead.
            const last = doc.version;
            await client.waitFor(`diagnostics of ${uri} v${last}`, () => client.latest(uri)?.version === last, 10_000);
            checkPublished(uri);
            assert.deepEqual(violations, [], violations.slice(0, 5).join('\n'));
            client.close(uri);
            mirror.delete(uri);
          },
        ),
        { seed, numRuns: fuzzRuns(150), endOnFailure: true },
      )
      .catch((e) => {
        throw withCause(e);
      });
    assert.equal(exited, undefined);
    assert.ok(
      !client.logs.some((l) => /failed: /.test(l)),
      `no handler failed:\n${client.logs
        .filter((l) => /failed: /.test(l))
        .slice(0, 3)
        .join('\n')}`,
    );
  });
});
