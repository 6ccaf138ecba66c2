/**
 * (g) A big workspace over LSP stdio: `n` small manifests on disk, the server started on the
 * folder. Measured: the time from `initialized` to diagnostics published for every file
 * (validation of the whole workspace), the server's RSS per indexed file, and an edit made
 * while the workspace is being indexed: the time from the change to its diagnostics, and
 * whether they came before the rest of the workspace was done (they should).
 * The peer is the same server at another size: the growth exponent from two sizes says
 * whether the cost is linear (1.0) or not.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { smallFiles } from './generate';
import { readRssMb } from './lsp';

export interface WorkspaceResult {
  files: number;
  /** initialized → every file's diagnostics published. */
  allMs: number;
  /** didChange (sent as soon as the server logs that it is indexing) → that version's diagnostics. */
  editMs: number;
  /** How many other files had their diagnostics published before the edit's. */
  publishedBeforeEdit: number;
  /** The server's own time for the edit (status notification): from its debounce firing to its publication. */
  serverEditMs?: number;
  rssMb?: number;
  kbPerFile?: number;
}

const TIMEOUT_MS = 600_000;

export async function measureWorkspace(repo: string, files: number): Promise<WorkspaceResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-bench-ws-'));
  const generated = smallFiles(files);
  for (const f of generated) {
    const p = path.join(root, f.name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.text);
  }
  const edited = pathToFileURL(path.join(root, generated[files >> 1]!.name)).toString();
  const editedText = generated[files >> 1]!.text;
  const proc = spawn(process.execPath, [path.join(repo, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr!.resume();
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const published = new Set<string>();
  let editDone: ((n: number) => void) | undefined;
  let allDone: (() => void) | undefined;
  let editSent: number;
  let editAt = 0;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    if (p.uri === edited && p.version === 2 && editDone) {
      editAt = performance.now();
      editDone(published.size);
      editDone = undefined;
    }
    published.add(p.uri);
    if (published.size >= files && allDone) allDone();
  });
  let indexing: (() => void) | undefined;
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    if (/^Indexing|^Indexed/.test(p.message)) indexing?.();
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  let serverEditMs: number | undefined;
  conn.onNotification('scimAgents/status', (p: { uri: string; durationMs: number }) => {
    if (p.uri === edited && editAt > 0 && serverEditMs === undefined) serverEditMs = p.durationMs;
  });
  conn.onNotification(() => undefined);
  conn.listen();
  const within = <T>(p: Promise<T>, what: string) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`workspace bench: no ${what} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
    ]);
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: {},
    });
    const all = new Promise<void>((resolve) => (allDone = resolve));
    const started = new Promise<void>((resolve) => (indexing = resolve));
    const t0 = performance.now();
    await conn.sendNotification('initialized', {});
    await within(started, 'indexing log');
    // The user opens a file and types while the workspace is being indexed.
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: edited, languageId: 'scim-agents-yaml', version: 1, text: editedText } });
    const edit = new Promise<number>((resolve) => (editDone = resolve));
    editSent = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: edited, version: 2 },
      contentChanges: [{ text: editedText.replace('displayName: ', 'displayName: Edited ') }],
    });
    const before = await within(edit, 'diagnostics for the edit');
    await within(all, 'diagnostics for every file');
    const allMs = performance.now() - t0;
    const rssMb = readRssMb(proc.pid!);
    return {
      files,
      allMs: Math.round(allMs),
      editMs: Math.round(editAt - editSent),
      ...(serverEditMs !== undefined ? { serverEditMs } : {}),
      publishedBeforeEdit: before,
      ...(rssMb !== undefined ? { rssMb, kbPerFile: Math.round((rssMb * 1024) / files) } : {}),
    };
  } finally {
    conn.dispose();
    proc.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The exponent k in cost ∝ size^k from two sizes (1 is linear, 2 quadratic). */
export function growthExponent(size1: number, cost1: number, size2: number, cost2: number): number {
  return Math.round((Math.log(cost2 / cost1) / Math.log(size2 / size1)) * 100) / 100;
}
