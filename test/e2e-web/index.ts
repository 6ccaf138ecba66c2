/**
 * Extension-host checks for VS Code for the Web: run by `node e2e/run-exthost-tests.mjs --web` in
 * code-server's web-worker extension host (the extension moved there by `remote.extensionKind`),
 * on the e2e/fixtures/ws workspace. Bundled for the browser (dist/web/test/index.js); no mocha,
 * which needs Node: each check is a named step, and the first failure rejects run().
 */
import * as vscode from 'vscode';

const EXTENSION_ID = 'scim-agents.scim-agents';

async function poll<T>(what: string, get: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function check(condition: unknown, message: string): void {
  if (!condition) throw new Error(message);
}

export async function run(): Promise<void> {
  const steps: [string, () => Promise<void>][] = [];
  const step = (name: string, body: () => Promise<void>) => steps.push([name, body]);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  check(folder, 'no workspace folder');
  const uri = vscode.Uri.joinPath(folder!, 'missing-owner.agent.yaml');
  let doc!: vscode.TextDocument;

  step('runs in the web-worker extension host, activates, starts the worker server', async () => {
    check(typeof (globalThis as { process?: unknown }).process === 'undefined', 'a Node global `process` exists: not the web-worker host');
    const ext = vscode.extensions.getExtension<{ ready: Promise<void> }>(EXTENSION_ID);
    check(ext, `${EXTENSION_ID} is not installed`);
    const started = Date.now();
    const api = await ext!.activate();
    await api.ready;
    console.log(`activation and language server start: ${Date.now() - started} ms`);
  });
  step('diagnostics of an open manifest (owner-missing)', async () => {
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const ds = await poll('owner-missing', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'scim-agents');
      return found.some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'owner-missing') ? found : undefined;
    });
    console.log(`diagnostics: ${ds.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code)).join(', ')}`);
  });
  step('diagnostics of manifests never opened (the index from workspace.findFiles)', async () => {
    const team = vscode.Uri.joinPath(folder!, 'team.agents.json');
    await poll('diagnostics for team.agents.json', () =>
      vscode.languages.getDiagnostics().some(([u]) => u.toString() === team.toString()) ? true : undefined,
    );
  });
  step('hover', async () => {
    const at = doc.positionAt(doc.getText().indexOf('displayName') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
    check(hovers.length > 0, 'no hover on displayName');
  });
  step('completion', async () => {
    const end = doc.positionAt(doc.getText().length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, end);
    check(list.items.length > 0, 'no completion items at the end of the document');
  });
  step('quick fix for owner-missing', async () => {
    const d = vscode.languages.getDiagnostics(uri).find((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'owner-missing')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    check(
      actions.some((a) => a.kind?.value.startsWith('quickfix')),
      'no quick fix',
    );
  });
  step('outline', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    check(symbols.length > 0, 'no document symbols');
  });
  step('the provisioning commands exist (they answer that they need the desktop extension)', async () => {
    const commands = await vscode.commands.getCommands(true);
    check(commands.includes('scimAgents.provision.apply'), 'scimAgents.provision.apply is not registered');
  });

  step('leaves the manifest and the Problems panel in view while the driver takes its picture', async () => {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(doc);
    // e2e/run-exthost-tests.mjs answers with a file in the workspace once the picture is taken.
    const taken = vscode.Uri.joinPath(folder!, '.scim-agents-e2e-screenshot-taken');
    console.log('scim-agents-e2e: ready for the screenshot');
    await poll(
      'the driver to take the screenshot',
      () =>
        Promise.resolve(vscode.workspace.fs.stat(taken)).then(
          () => true,
          () => undefined,
        ),
      90_000,
    );
  });

  let failed = 0;
  for (const [name, body] of steps) {
    try {
      await body();
      console.log(`  ✔ ${name}`);
    } catch (e) {
      failed++;
      console.log(`  ✘ ${name}: ${(e as Error).stack ?? String(e)}`);
    }
  }
  if (failed > 0) throw new Error(`${failed} web check(s) failed`);
}
