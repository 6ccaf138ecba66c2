// The VS Code for the Web bundles (dist/web/, built by esbuild.mjs): no Node built-in may reach
// them, and the worker bundle must work as a language server with only what a Web Worker has.
// The worker runs in a fresh vm context whose `self` is a postMessage pair (a harness for the
// transport only: the engine inside is the real bundle), with no require, process or Buffer.
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { test } from 'node:test';

const DIST = path.resolve(__dirname, '..', '..', 'web');
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function importsOf(code: string): string[] {
  const found: string[] = [];
  // CJS/IIFE bundles: a module reaches the outside through require() or import() only.
  for (const m of code.matchAll(/\b(?:require|import)\(\s*["']([\w@./:-]+)["']\s*\)/g)) found.push(m[1]!);
  return found;
}

for (const [file, allowed] of [
  ['server.js', []],
  ['client.js', ['vscode']],
] as const) {
  test(`dist/web/${file} reaches no Node built-in`, () => {
    const code = fs.readFileSync(path.join(DIST, file), 'utf8');
    const builtins = importsOf(code).filter((m) => BUILTINS.has(m) || m.startsWith('node:'));
    assert.deepEqual([...new Set(builtins)], []);
    const external = new Set(importsOf(code).filter((m) => !m.startsWith('ajv/dist/runtime/'))); // ajv's code templates, strings only
    assert.deepEqual([...external].sort(), [...allowed]);
  });
}

interface Diagnostic {
  code?: string | number;
}
type Json = any;
interface Message {
  id?: number;
  method?: string;
  params?: Json;
  result?: Json;
  error?: unknown;
}

/** The worker bundle in a context with only Web Worker globals; messages cross as structured clones. */
function startWorker() {
  const received: Message[] = [];
  const waiters: (() => void)[] = [];
  const self: { onmessage?: (e: { data: unknown }) => void; postMessage(data: unknown): void; addEventListener(): void } = {
    postMessage: (data: unknown) => {
      received.push(structuredClone(data) as Message);
      for (const w of waiters.splice(0)) w();
    },
    addEventListener: () => undefined,
  };
  const context = vm.createContext({
    self,
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    structuredClone,
    TextEncoder,
    TextDecoder,
    URL,
    atob,
    btoa,
    performance,
    crypto: globalThis.crypto,
  });
  vm.runInContext(fs.readFileSync(path.join(DIST, 'server.js'), 'utf8'), context, { filename: 'dist/web/server.js' });
  let nextId = 1;
  const send = (m: Message) => self.onmessage!({ data: structuredClone({ jsonrpc: '2.0', ...m }) });
  async function until<T>(pick: () => T | undefined, what: string): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const hit = pick();
      if (hit !== undefined) return hit;
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
  return {
    context,
    received,
    notify: (method: string, params: unknown) => send({ method, params }),
    request: async (method: string, params: unknown) => {
      const id = nextId++;
      send({ id, method, params });
      return until(() => received.find((m) => m.id === id && m.method === undefined), `the answer to ${method}`);
    },
    diagnostics: (uri: string, ok: (ds: Diagnostic[]) => boolean) =>
      until(
        () =>
          received
            .filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri)
            .map((m) => m.params.diagnostics as Diagnostic[])
            .reverse()
            .find(ok),
        `diagnostics of ${uri}`,
      ),
  };
}

const ROOT = 'vscode-vfs://github/acme/identities';

test('the worker bundle has none of the Node globals, and still answers initialize and publishes diagnostics', async () => {
  const worker = startWorker();
  for (const name of ['require', 'process', 'Buffer', 'module']) assert.equal(vm.runInContext(`typeof ${name}`, worker.context), 'undefined', name);
  const init = await worker.request('initialize', {
    processId: null,
    rootUri: ROOT,
    workspaceFolders: [{ uri: ROOT, name: 'identities' }],
    capabilities: {},
    initializationOptions: { diagnosticsDelayMs: 0 },
  });
  assert.equal(init.error, undefined);
  assert.equal(init.result.serverInfo.name, 'scim-agents');
  assert.ok(init.result.capabilities.hoverProvider);
  worker.notify('initialized', {});

  // An unopened manifest the client found (lsp/protocol/workspaceFiles.ts): indexed and validated.
  const unopened = `${ROOT}/agents/twin-a.agent.yaml`;
  const twin = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: twin\nowners: [{value: "user:bob@example.com"}]\n';
  worker.notify('scimAgents/workspaceFiles', {
    changed: [
      { uri: unopened, text: twin },
      { uri: `${ROOT}/agents/twin-b.agent.yaml`, text: twin },
    ],
    deleted: [],
  });
  const dup = await worker.diagnostics(unopened, (ds) => ds.length > 0);
  assert.ok(
    dup.some((d) => d.code === 'duplicate-identifier'),
    JSON.stringify(dup),
  );

  // An open document with a certificate: the pure-JS parser runs in the worker.
  const open = `${ROOT}/agents/cert.agent.yaml`;
  worker.notify('textDocument/didOpen', {
    textDocument: {
      uri: open,
      languageId: 'scim-agents-yaml',
      version: 1,
      text: 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot\nowners: [{value: "user:bob@example.com"}]\nx509Certificates:\n  - value: TUlJQ2FuZ2Fy\n',
    },
  });
  const cert = await worker.diagnostics(open, (ds) => ds.length > 0);
  assert.ok(
    cert.some((d) => d.code === 'certificate-invalid'),
    JSON.stringify(cert),
  );

  // Format Document: prettier, loaded on first use, is inside the worker bundle too.
  const messy = `${ROOT}/agents/messy.agent.yaml`;
  worker.notify('textDocument/didOpen', {
    textDocument: {
      uri: messy,
      languageId: 'scim-agents-yaml',
      version: 1,
      text: 'schemas:   [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname:    messy\n',
    },
  });
  const formatted = await worker.request('textDocument/formatting', { textDocument: { uri: messy }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(formatted.error, undefined);
  assert.ok(Array.isArray(formatted.result) && formatted.result.length > 0, JSON.stringify(formatted.result));

  // Deleted by the client: its diagnostics are cleared, the twin's duplicate goes away.
  worker.notify('scimAgents/workspaceFiles', { changed: [], deleted: [`${ROOT}/agents/twin-b.agent.yaml`] });
  await worker.diagnostics(`${ROOT}/agents/twin-b.agent.yaml`, (ds) => ds.length === 0);
  await worker.diagnostics(unopened, (ds) => !ds.some((d) => d.code === 'duplicate-identifier'));

  const shutdown = await worker.request('shutdown', null);
  assert.equal(shutdown.error, undefined);
});
