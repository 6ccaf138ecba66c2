/**
 * Not a test of behaviour but a measurement for bench/activation.mjs (context `bench`, workspace
 * e2e/fixtures/plain-ws, where nothing activates the extension at start-up). In this fresh
 * extension host it times, once: `activate()` through VS Code's API, the language server being
 * ready (the API's `ready`), and the first diagnostics for a manifest opened after that (and,
 * apart, when VS Code had shown its editor). The
 * figures go out as one line `SCIM_AGENTS_ACTIVATION {json}` that the driver collects.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, ours, waitForDiagnostics, workspaceUri } from '../helpers';

suite('bench: activation', () => {
  test('activation, language server ready, first diagnostics', async () => {
    const ext = extension();
    assert.equal(ext.isActive, false, 'the extension must not be active before the measurement');
    const t0 = performance.now();
    const api = await ext.activate();
    const activateMs = performance.now() - t0;
    await api.ready;
    const readyMs = performance.now() - t0;

    // One finding (no owner), so the first publication is not empty.
    const uri = workspaceUri('bench.agent.yaml');
    const text = 'schemas:\n  - urn:ietf:params:scim:schemas:core:2.0:Agent\nname: bench-agent\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const t1 = performance.now();
    // When the diagnostics reach VS Code, timed by the change event itself: the editor is still
    // being shown meanwhile (VS Code's own work, hundreds of milliseconds on a loaded machine),
    // and waiting for it first measured the slower of the two. Both are reported.
    const seen = waitForDiagnostics(uri, (diags) => diags.some(ours), 'the first diagnostics of the opened manifest').then(() => performance.now() - t1);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const editorShownMs = performance.now() - t1;
    const firstDiagnosticsMs = await seen;

    const round = (n: number) => Math.round(n * 10) / 10;
    console.log(
      `SCIM_AGENTS_ACTIVATION ${JSON.stringify({ activateMs: round(activateMs), readyMs: round(readyMs), firstDiagnosticsMs: round(firstDiagnosticsMs), editorShownMs: round(editorShownMs) })}`,
    );
  });
});
