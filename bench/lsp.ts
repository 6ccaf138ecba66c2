/**
 * (a) Diagnostics latency over LSP stdio: our server and yaml-language-server (with our
 * generated JSON Schema) on the same generated files, measured side by side in one run.
 * Latency is client-observed: from sending didOpen/didChange to the publishDiagnostics that
 * answers it (both servers debounce; ours by 150 ms). Ours also reports its server-side time
 * (the scimAgents/status notification), which excludes the debounce.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { agentsFile, displayNameLine } from './generate';
import { stat, type Stat } from './stats';

export interface LspResult {
  server: 'scim-agents' | 'yaml-language-server';
  resources: number;
  openMs: number;
  editMs: Stat;
  /** scim-agents only: server-side validation time per edit, no debounce. */
  serverEditMs?: Stat;
  /** scim-agents only: the server-side time of the first edit after opening (one of serverEditMs), and of the edits after it. */
  serverFirstEditMs?: number;
  serverLaterEditMs?: Stat;
  diagnostics: number;
  rssMb?: number;
  /**
   * Typing: bursts of 30 one-character inserts, 50 ms apart, at the end of a `displayName` line
   * (mid-file, and in the first resource); from the last key to its diagnostics.
   */
  burst?: { midMs: Stat; topMs: Stat; serverMidMs?: Stat; serverTopMs?: Stat };
}

export const BURST_KEYS = 30;
export const BURST_GAP_MS = 50;

const TIMEOUT_MS = 120_000;

function serverCommand(server: LspResult['server'], repo: string): string[] {
  return server === 'scim-agents'
    ? [path.join(repo, 'dist', 'server.js'), '--stdio']
    : [path.join(repo, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'];
}

export async function measureLsp(repo: string, server: LspResult['server'], resources: number, edits: number, bursts = 0): Promise<LspResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-bench-lsp-'));
  const file = path.join(root, 'bench.agents.yaml');
  let text = agentsFile(resources);
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const schemaUri = pathToFileURL(path.join(repo, 'schemas', 'generated', 'manifest.schema.json')).toString();
  const yamlSettings = {
    yaml: { validate: true, hover: false, completion: false, schemaStore: { enable: false }, schemas: { [schemaUri]: ['*.agents.yaml'] } },
  };

  const proc = spawn(process.execPath, serverCommand(server, repo), { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr!.resume();
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  let waiter: { version: number; resolve: (n: number) => void } | undefined;
  const serverTimes: number[] = [];
  // Ours sends its status right after the publication it belongs to: only the status that follows
  // the publication answering a change is that change's server-side time (a later, redundant run
  // over an already validated version would report a near-zero time).
  let awaitingStatus = false;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
    if (p.uri !== uri) return;
    awaitingStatus = false;
    if (!waiter) return;
    // yaml-language-server sends no version: the first publication after the change answers it.
    // Ours versions every publication of an open document; one without is of the file on disk
    // (the workspace scan), which answers neither the opening nor an edit.
    if (server === 'scim-agents' ? p.version !== waiter.version : p.version !== undefined && p.version !== waiter.version) return;
    const w = waiter;
    waiter = undefined;
    awaitingStatus = true;
    w.resolve(p.diagnostics.length);
  });
  conn.onNotification('scimAgents/status', (p: { uri: string; durationMs: number }) => {
    if (p.uri !== uri || !awaitingStatus) return;
    awaitingStatus = false;
    serverTimes.push(p.durationMs);
    statusWaiter?.();
  });
  let statusWaiter: (() => void) | undefined;
  /** Until `n` statuses have arrived (the last edit's follows its publication), or a few seconds. */
  const statuses = (n: number) =>
    new Promise<void>((resolve) => {
      if (serverTimes.length >= n) return resolve();
      const timer = setTimeout(resolve, 5000);
      statusWaiter = () => {
        if (serverTimes.length < n) return;
        clearTimeout(timer);
        statusWaiter = undefined;
        resolve();
      };
    });
  conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
    p.items.map((i) => (i.section === 'yaml' ? yamlSettings.yaml : i.section?.startsWith('yaml.') ? undefined : i.section === 'scimAgents' ? {} : null)),
  );
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification(() => undefined);
  conn.listen();
  const published = (version: number) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${server}: no diagnostics for version ${version} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      waiter = {
        version,
        resolve: (n) => {
          clearTimeout(timer);
          resolve(n);
        },
      };
    });
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } } },
      initializationOptions: {},
    });
    await conn.sendNotification('initialized', {});
    if (server === 'yaml-language-server') await conn.sendNotification('workspace/didChangeConfiguration', { settings: yamlSettings });
    // Ours indexes the workspace folder on start; let that settle so open measures the file itself.
    let t = performance.now();
    const opened = published(1);
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: server === 'scim-agents' ? 'scim-agents-yaml' : 'yaml', version: 1, text },
    });
    const diagnostics = await opened;
    const openMs = performance.now() - t;
    const times: number[] = [];
    const target = Math.floor(resources / 2);
    const line = displayNameLine(target);
    for (let k = 0; k < edits; k++) {
      const version = k + 2;
      const lines = text.split('\n');
      const old = lines[line]!;
      const replacement = `displayName: Edited agent ${target} v${version}`;
      lines[line] = replacement;
      text = lines.join('\n');
      t = performance.now();
      const done = published(version);
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: old.length } }, text: replacement }],
      });
      await done;
      times.push(performance.now() - t);
    }
    if (server === 'scim-agents') await statuses(edits + 1);
    const editServerTimes = serverTimes.slice(-edits);
    let version = edits + 1;
    const burstTimes = { mid: [] as number[], top: [] as number[], serverMid: [] as number[], serverTop: [] as number[] };
    for (let b = 0; b < bursts; b++) {
      for (const where of ['mid', 'top'] as const) {
        const at = displayNameLine(where === 'top' ? 0 : target);
        for (let key = 0; key < BURST_KEYS; key++) {
          const lines = text.split('\n');
          const character = lines[at]!.length;
          lines[at] += 'x';
          text = lines.join('\n');
          version++;
          const last = key === BURST_KEYS - 1;
          const done = last ? published(version) : undefined;
          const statusCount = serverTimes.length;
          t = performance.now();
          await conn.sendNotification('textDocument/didChange', {
            textDocument: { uri, version },
            contentChanges: [{ range: { start: { line: at, character }, end: { line: at, character } }, text: 'x' }],
          });
          if (!last) {
            await new Promise((r) => setTimeout(r, BURST_GAP_MS));
            continue;
          }
          await done;
          burstTimes[where].push(performance.now() - t);
          if (server === 'scim-agents') {
            await statuses(statusCount + 1);
            const s = serverTimes[serverTimes.length - 1];
            if (s !== undefined) burstTimes[where === 'mid' ? 'serverMid' : 'serverTop'].push(s);
          }
        }
      }
    }
    const rssMb = readRssMb(proc.pid!);
    return {
      server,
      resources,
      openMs: Math.round(openMs),
      editMs: stat(times),
      ...(server === 'scim-agents'
        ? { serverEditMs: stat(editServerTimes), serverFirstEditMs: editServerTimes[0] ?? NaN, serverLaterEditMs: stat(editServerTimes.slice(1)) }
        : {}),
      diagnostics,
      ...(rssMb !== undefined ? { rssMb } : {}),
      ...(bursts > 0
        ? {
            burst: {
              midMs: stat(burstTimes.mid),
              topMs: stat(burstTimes.top),
              ...(server === 'scim-agents' ? { serverMidMs: stat(burstTimes.serverMid), serverTopMs: stat(burstTimes.serverTop) } : {}),
            },
          }
        : {}),
    };
  } finally {
    conn.dispose();
    proc.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Resident memory of a child process (Linux /proc), in MB. */
export function readRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Math.round(Number(kb[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
