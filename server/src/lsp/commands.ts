import type { CancellationToken, Connection, WorkDoneProgressReporter } from 'vscode-languageserver';
import type { WorkspaceIndex } from '../workspace/index';
import type { ServerSettings } from './settings';

/** What a command handler gets besides its arguments. */
export interface CommandContext {
  connection: Connection;
  index: WorkspaceIndex;
  settings: ServerSettings;
  /** False in an untrusted (Restricted Mode) window: handlers must not call endpoints. */
  workspaceTrusted: boolean;
  token: CancellationToken;
  progress: WorkDoneProgressReporter;
}

export type CommandHandler = (args: unknown[], ctx: CommandContext) => unknown | Promise<unknown>;

export interface Disposable {
  dispose(): void;
}

/**
 * `workspace/executeCommand` handlers by id (protocol/commands.ts), one registry per server:
 * server.ts makes it and hands it to whatever adds commands (provisioning, the platform's), whose
 * handlers close over the state they need. Commands present at `initialize` are announced
 * statically, later ones by dynamic registration when the client allows it.
 */
export class CommandRegistry {
  private readonly handlers = new Map<string, CommandHandler>();
  private listener: ((id: string) => void) | undefined;

  register(id: string, handler: CommandHandler): Disposable {
    if (this.handlers.has(id)) throw new Error(`command ${id} is already registered`);
    this.handlers.set(id, handler);
    this.listener?.(id);
    return { dispose: () => void this.handlers.delete(id) };
  }

  get(id: string): CommandHandler | undefined {
    return this.handlers.get(id);
  }

  ids(): string[] {
    return [...this.handlers.keys()];
  }

  /** Called by the server once initialized, for commands registered afterwards. */
  onRegistered(listener: (id: string) => void): void {
    this.listener = listener;
  }
}
