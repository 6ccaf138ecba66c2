// Diagnostics are never published for a text they were not computed on. Provoked on purpose: an
// edit of `a` (a file with a thousand findings) starts a run that publishes a, then b (published
// before, so looked at again). The client stops reading, so the server's write of a's large
// publication waits on a full pipe; b's edits arrive during that wait, before the run reaches b.
// Each of b's publications must fit the text of the version it names.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const FINDINGS = 1500;
const ROUNDS = 6;
const OWNED = 'owners:\n  - value: user:alice@example.com\n';
const agent = (name: string, extra = '') => `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: ${name}\n${OWNED}${extra}`;
/** Unknown attributes: a's publication is large, so writing it fills the pipe. */
const NOISE = Array.from({ length: FINDINGS }, (_, i) => `unknownAttribute${i}: x\n`).join('');

/** b's texts alternate between a long one with a syntax error on its last line and a one-liner. */
const LONG = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: b\n' + '# filler\n'.repeat(40) + 'broken: [\n';
const SHORT = 'x: [\n';
/** Polls a condition that no message announces (the client is not reading), with a deadline. */
async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
const lineOfError = (text: string) => text.split('\n').length - 2;

describe('diagnostics and edits in flight', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = tempWorkspace({});
    client = await LspClient.start(root, { initializationOptions: { diagnosticsDelayMs: 0 } });
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('every publication for b fits the version it names, while a long run is in flight', async () => {
    const a = client.uri('a.agent.yaml');
    const b = client.uri('b.agent.yaml');
    const texts = new Map<number, string>([[1, LONG]]);
    client.open(a, agent('a', NOISE));
    await client.diagnostics(a, (ds) => ds.length >= FINDINGS, 'a v1');
    client.open(b, LONG);
    await client.diagnostics(b, (ds, p) => p.version === 1 && ds.some((d) => d.code === 'syntax-error'), 'b v1');

    for (let round = 0; round < ROUNDS; round++) {
      const out = client.proc.stdout!;
      out.pause();
      client.change(a, agent(`a-${round}`, NOISE));
      // The client stops reading: the server's write of a's diagnostics fills the pipe and its run
      // waits on it when b's edits arrive.
      await until('the server blocked on a full pipe', () => out.readableLength >= out.readableHighWaterMark);
      for (let k = 0; k < 3; k++) {
        const text = client.version(b) % 2 === 1 ? SHORT : LONG;
        texts.set(client.change(b, text), text);
      }
      out.resume();
      const final = client.version(b);
      await client.diagnostics(b, (_, p) => p.version === final, `b v${final}`);
    }

    const publications = client.published.get(b) ?? [];
    assert.ok(publications.length >= ROUNDS, 'b was published in every round');
    for (const p of publications) {
      assert.notEqual(p.version, undefined, 'an open document is published with its version');
      const text = texts.get(p.version!)!;
      const lines = text.split('\n');
      const error = p.diagnostics.find((d) => d.code === 'syntax-error');
      assert.ok(error, `version ${p.version} has its syntax error: ${JSON.stringify(p.diagnostics)}`);
      assert.equal(error.range.start.line, lineOfError(text), `version ${p.version}: the error is where that version's text has it`);
      for (const d of p.diagnostics) {
        for (const pos of [d.range.start, d.range.end]) {
          assert.ok(
            pos.line < lines.length && pos.character <= lines[pos.line]!.length,
            `version ${p.version}: ${d.code} ${JSON.stringify(d.range)} inside its text (${lines.length} lines)`,
          );
        }
      }
    }
  });
});
