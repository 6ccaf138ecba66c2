/**
 * The product's own local SCIM sandbox, from inside VS Code: where its data lives, its token
 * (so that no prompt asks for what the product already has), and starting/stopping it as a
 * child process of the extension host (the bundled CLI's `scim-agents serve`).
 *
 * Its data folder is the machine-scoped `SCIMAgents.sandbox.dataFolder` (`npm start` writes it),
 * else `.scim-agents/sandbox` under the first workspace folder: where `scim-agents serve` keeps
 * it when run in that folder, so the CLI and the editor share one sandbox. Nothing in the
 * workspace's files can name another folder (a machine-scoped setting is never read from them).
 * Its token is used only for a plain-http loopback endpoint: the sandbox binds loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configuredEndpoint, redact } from '../provisioning/secrets';
import { DEFAULT_SANDBOX_PORT } from '../../../server/src/scim/endpointUrl';
import { SETTINGS_SECTION } from '../../../server/src/lsp/protocol';
/** A token file larger than this is not the sandbox's. */
const MAX_TOKEN_BYTES = 4096;

/** The sandbox data folder, or undefined when there is neither the setting nor a workspace folder. */
export function sandboxDataFolder(): string | undefined {
  const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('sandbox.dataFolder', '').trim();
  if (configured) return path.resolve(configured);
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder ? path.join(folder.uri.fsPath, '.scim-agents', 'sandbox') : undefined;
}

/** 127.0.0.1, ::1, localhost: where the sandbox listens. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return url.protocol === 'http:' && (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
  } catch {
    return false;
  }
}

/** The sandbox's token for a loopback endpoint, read from its data folder's token file; else undefined. */
export function sandboxToken(endpoint: string): string | undefined {
  if (!isLoopbackEndpoint(endpoint)) return undefined;
  const folder = sandboxDataFolder();
  if (!folder) return undefined;
  try {
    const file = path.join(folder, 'token');
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_TOKEN_BYTES) return undefined;
    const token = fs.readFileSync(file, 'utf8').trim();
    return /^[\x21-\x7e]+$/.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Whether anything answers HTTP at the endpoint (an unauthenticated GET: no token is sent). */
export async function endpointAnswers(endpoint: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint.replace(/\/+$/, '')}/ServiceProviderConfig`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

export class LocalSandbox implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the sandbox this extension runs starts or stops. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly cli: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  /** Starts `serve` on the configured loopback endpoint's port and waits until it answers. */
  async start(): Promise<string> {
    const endpoint = configuredEndpoint();
    if (!isLoopbackEndpoint(endpoint)) {
      throw new Error(`The SCIM endpoint is ${new URL(endpoint).host}, not the local sandbox: clear the SCIMAgents.endpoint.url setting to use the sandbox.`);
    }
    if (await endpointAnswers(endpoint, 1500)) return `The local sandbox already answers at ${new URL(endpoint).host}.`;
    const data = sandboxDataFolder();
    if (!data)
      throw new Error('Open a folder first: the local sandbox keeps its data in .scim-agents/sandbox under it (or set SCIMAgents.sandbox.dataFolder).');
    const url = new URL(endpoint);
    const port = url.port ? Number(url.port) : DEFAULT_SANDBOX_PORT;
    fs.mkdirSync(data, { recursive: true });
    const child = spawn(
      process.execPath,
      [this.cli, 'serve', '--data', data, '--port', String(port), '--host', url.hostname.replace(/^\[|\]$/g, ''), '--quiet'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      },
    );
    this.child = child;
    let said = '';
    // The first start may print the new token: the log gets the output with it redacted.
    const keep = (d: Buffer) => {
      said = (said + String(d)).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.output.info(`The local sandbox stopped (${code ?? signal}).`);
      this.changed.fire();
    });
    const deadline = Date.now() + 20_000;
    while (!(await endpointAnswers(endpoint, 1000))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        const reason = redact(said, [sandboxToken(endpoint)])
          .trim()
          .split('\n')
          .slice(-3)
          .join(' ');
        throw new Error(`The local sandbox did not start${reason ? `: ${reason}` : ''}.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    this.output.info(`Started the local sandbox at ${endpoint} (data in ${data}).`);
    this.changed.fire();
    return `The local sandbox runs at ${url.host} (data in ${data}).`;
  }

  /** Stops the sandbox this extension started (one started elsewhere, e.g. by npm start, is left alone). */
  async stop(): Promise<string> {
    const child = this.child;
    if (!child || child.exitCode !== null) return 'The local sandbox was not started from VS Code: stop it where it was started.';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    return 'The local sandbox stopped.';
  }

  dispose(): void {
    this.child?.kill('SIGTERM');
    this.changed.dispose();
  }
}
