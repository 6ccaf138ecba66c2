/**
 * A tiny LSP client for protocol tests: spawns the bundled server (dist/server.js --stdio) and
 * speaks JSON-RPC to it. Waits are always on messages, with a timeout, never on the clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams, ServerCapabilities } from 'vscode-languageserver-protocol';
import { STATUS_NOTIFICATION, type StatusParams } from '../../server/src/lsp/protocol';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import assert from 'node:assert/strict';

/** dist/test/protocol/x.test.js → dist/server.js */
export const SERVER = path.resolve(__dirname, '..', '..', 'server.js');
const TIMEOUT_MS = 15_000;

export interface Published {
  version?: number;
  diagnostics: Diagnostic[];
}

type Waiter = { check: () => boolean; resolve: () => void };

export class LspClient {
  readonly published = new Map<string, Published[]>();
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  /** The window's settings: the answer to a `workspace/configuration` item without a folder of its own below. */
  settings: Record<string, unknown> = {};
  /** Settings by workspace folder URI: the answer to an item whose `scopeUri` is that folder. */
  readonly folderSettings = new Map<string, Record<string, unknown>>();
  /** The items of every `workspace/configuration` request, in order. */
  readonly configurationRequests: { section?: string; scopeUri?: string }[][] = [];
  /** What the server answered to `initialize`. */
  capabilities: ServerCapabilities = {};

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    readonly root: string,
  ) {}

  static async start(
    root: string,
    options: {
      settings?: Record<string, unknown>;
      /** Settings of workspace folders, by folder path (the others answer `settings`). */
      folderSettings?: Record<string, Record<string, unknown>>;
      initializationOptions?: Record<string, unknown>;
      capabilities?: Record<string, unknown>;
      env?: NodeJS.ProcessEnv;
      extraFolders?: string[];
      /** What node runs instead of dist/server.js --stdio (the CLI's `lsp --stdio`). */
      args?: string[];
    } = {},
  ): Promise<LspClient> {
    const proc = spawn(process.execPath, options.args ?? [SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn, root);
    client.settings = options.settings ?? {};
    for (const [folder, settings] of Object.entries(options.folderSettings ?? {})) client.folderSettings.set(pathToFileURL(folder).toString(), settings);
    proc.stderr!.on('data', (d) => client.logs.push(String(d)));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = client.published.get(p.uri) ?? [];
      list.push({ ...(p.version !== undefined ? { version: p.version } : {}), diagnostics: p.diagnostics });
      client.published.set(p.uri, list);
      client.notify();
    });
    conn.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => {
      client.statuses.push(p);
      client.notify();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
      client.notify();
    });
    conn.onRequest('workspace/configuration', (p: { items: { section?: string; scopeUri?: string }[] }) => {
      client.configurationRequests.push(p.items);
      return p.items.map((item) => (item.scopeUri !== undefined ? client.folderSettings.get(item.scopeUri) : undefined) ?? client.settings);
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    const initialized = await conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [root, ...(options.extraFolders ?? [])].map((f) => ({ uri: pathToFileURL(f).toString(), name: path.basename(f) })),
      capabilities: options.capabilities ?? {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: options.initializationOptions ?? {},
    });
    client.capabilities = initialized.capabilities;
    await conn.sendNotification('initialized', {});
    return client;
  }

  uri(relative: string): string {
    return pathToFileURL(path.join(this.root, relative)).toString();
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Resolves when `check` holds, re-checked on every message; rejects after a timeout. */
  waitFor(what: string, check: () => boolean, timeoutMs = TIMEOUT_MS): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  latest(uri: string): Published | undefined {
    const list = this.published.get(uri);
    return list?.[list.length - 1];
  }

  /** The first published diagnostics of `uri` (after `since` publications) that satisfy `predicate`. */
  async diagnostics(uri: string, predicate: (ds: Diagnostic[], p: Published) => boolean, what = 'diagnostics'): Promise<Diagnostic[]> {
    let found: Diagnostic[] | undefined;
    await this.waitFor(`${what} for ${uri}`, () => {
      const p = this.latest(uri);
      if (p && predicate(p.diagnostics, p)) {
        found = p.diagnostics;
        return true;
      }
      return false;
    });
    return found!;
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: uri.endsWith('.json') ? 'scim-agents-json' : 'scim-agents-yaml', version: 1, text },
    });
  }

  /** Replaces the whole text; returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental edit of one range; returns the new version. */
  edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: { scimAgents: settings } });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) resolve();
      else this.proc.once('exit', () => resolve());
    });
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.proc.kill(), 5000);
    await exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}

/** A temporary workspace folder with the given files (relative path → content). */
export function tempWorkspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-lsp-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return root;
}

export function removeWorkspace(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** Applies LSP text edits to a text (edits of one document, non-overlapping). */
export function applyEdits(
  text: string,
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') starts.push(i + 1);
    else if (text[i] === '\r' && text[i + 1] !== '\n') starts.push(i + 1);
  }
  const offset = (p: { line: number; character: number }) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const sorted = edits
    .map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * A sandbox, a workspace with one manifest `bot.agent.yaml`, and a trusted server whose client
 * names the sandbox as the user's machine-scoped endpoint; scanned once before it is returned.
 */
export async function trustedAgainstSandbox(bot: string): Promise<{ client: LspClient; sandbox: TestSandbox; dispose(): Promise<void> }> {
  const sandbox = await withSandbox();
  const root = tempWorkspace({ 'bot.agent.yaml': bot });
  const client = await LspClient.start(root, { initializationOptions: { workspaceTrusted: true, endpoint: { url: sandbox.baseUrl } } });
  await client.waitFor('the workspace scan', () => client.published.has(client.uri('bot.agent.yaml')));
  return {
    client,
    sandbox,
    dispose: async () => {
      await client.stop();
      await sandbox.dispose();
      removeWorkspace(root);
    },
  };
}

/** `trustedAgainstSandbox` for the suite it is called in: started before its tests, disposed after them. */
export function trustedSuite(bot: string): { readonly client: LspClient; readonly sandbox: TestSandbox } {
  let env: Awaited<ReturnType<typeof trustedAgainstSandbox>> | undefined;
  before(async () => {
    env = await trustedAgainstSandbox(bot);
  });
  after(() => env?.dispose());
  const started = () => env ?? assert.fail('the suite has not started');
  return {
    get client() {
      return started().client;
    },
    get sandbox() {
      return started().sandbox;
    },
  };
}
