// The one publisher of a file's diagnostics (lsp/diagnostics/publisher.ts): each source replaces
// its own list, every publication carries all lists that still fit the file's text, with the
// version of lint's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { DiagnosticsPublisher } from '../../server/src/lsp/diagnostics/publisher';

const URI = 'file:///w/bot.agent.yaml';
const at = (line: number, code: string): Diagnostic => ({ range: { start: { line, character: 0 }, end: { line, character: 1 } }, message: code, code });
const codes = (p: PublishDiagnosticsParams | undefined) => p?.diagnostics.map((d) => d.code);

function publisher() {
  const sent: PublishDiagnosticsParams[] = [];
  const texts = new Map([[URI, 'v1']]);
  const p = new DiagnosticsPublisher(
    async (params) => void sent.push(params),
    (uri) => texts.get(uri),
  );
  return { p, sent, texts };
}

describe('the diagnostics publisher', () => {
  test("sources merge; clearing one republishes the others' lists", async () => {
    const { p, sent } = publisher();
    await p.set('lint', URI, { diagnostics: [at(1, 'attribute-case')], text: 'v1', version: 3 });
    await p.set('server', URI, { diagnostics: [at(5, 'owner-unresolved')], text: 'v1' });
    await p.set('provision', URI, { diagnostics: [at(0, 'provision-failed')], text: 'v1' });
    assert.deepEqual(codes(sent.at(-1)), ['attribute-case', 'owner-unresolved', 'provision-failed']);
    assert.equal(sent.at(-1)!.version, 3);
    await p.set('server', URI, { diagnostics: [], text: 'v1' });
    assert.deepEqual(codes(sent.at(-1)), ['attribute-case', 'provision-failed']);
    await p.set('lint', URI, { diagnostics: [], text: 'v1', version: 4 });
    assert.deepEqual(codes(sent.at(-1)), ['provision-failed']);
    assert.equal(sent.at(-1)!.version, 4);
    assert.deepEqual(p.uris('provision'), [URI]);
    assert.deepEqual(p.uris('server'), []);
  });

  test('clearing a source that had nothing publishes nothing; lint always publishes', async () => {
    const { p, sent } = publisher();
    await p.set('server', URI, { diagnostics: [], text: 'v1' });
    assert.equal(sent.length, 0);
    await p.set('lint', URI, { diagnostics: [], text: 'v1', version: 1 });
    await p.set('lint', URI, { diagnostics: [], text: 'v1', version: 1 });
    assert.equal(sent.length, 2);
  });

  test('a list computed for another text is dropped at the next publication', async () => {
    const { p, sent, texts } = publisher();
    await p.set('provision', URI, { diagnostics: [at(2, 'provision-cannot-apply')], text: 'v1' });
    assert.deepEqual(codes(sent.at(-1)), ['provision-cannot-apply']);
    assert.equal(sent.at(-1)!.version, undefined, 'no lint publication yet: no version');
    texts.set(URI, 'v2');
    await p.set('lint', URI, { diagnostics: [at(0, 'syntax-error')], text: 'v2', version: 2 });
    assert.deepEqual(codes(sent.at(-1)), ['syntax-error']);
    assert.deepEqual(p.uris('provision'), [], 'gone until its source sets it again');
    // A provisioning result for text the file no longer has never shows.
    await p.set('provision', URI, { diagnostics: [at(2, 'provision-failed')], text: 'v1' });
    assert.deepEqual(codes(sent.at(-1)), ['syntax-error']);
  });

  test('clear publishes an empty list and forgets every source', async () => {
    const { p, sent } = publisher();
    await p.set('lint', URI, { diagnostics: [at(1, 'attribute-case')], text: 'v1', version: 1 });
    await p.set('server', URI, { diagnostics: [at(5, 'owner-unresolved')], text: 'v1' });
    await p.clear(URI);
    assert.deepEqual(sent.at(-1), { uri: URI, diagnostics: [] });
    assert.equal(p.last('lint', URI), undefined);
    assert.deepEqual(p.uris('server'), []);
  });

  test('keep remembers lint without publishing', async () => {
    const { p, sent } = publisher();
    p.keep(URI, { diagnostics: [at(1, 'attribute-case')], text: 'v1', version: 1 });
    assert.equal(sent.length, 0);
    await p.set('server', URI, { diagnostics: [at(5, 'owner-unresolved')], text: 'v1' });
    assert.deepEqual(codes(sent.at(-1)), ['attribute-case', 'owner-unresolved']);
  });
});
