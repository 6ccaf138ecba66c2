/**
 * One message per failure, in the user's words, with the action that fixes it. The language
 * server says what kind of failure it was (ResponseError data {kind}); this maps the kind to
 * the button: Start Local Sandbox (a loopback endpoint that does not answer), Set Endpoint Token
 * (a refused or missing token), Open Settings (a wrong endpoint, an untrusted certificate),
 * Manage Workspace Trust, Show Output.
 */
import * as vscode from 'vscode';
import { isLoopbackEndpoint } from '../sandbox/localSandbox';
import { redact } from './secrets';

import { EDITOR_COMMANDS, FAILURE_KINDS, type FailureKind } from '../../../server/src/lsp/protocol';

const KINDS = new Set<string>(FAILURE_KINDS);

export interface Failure {
  message: string;
  kind: FailureKind;
}

/** The message (secrets redacted) and kind of whatever a command threw. */
export function failureOf(error: unknown, secrets: readonly (string | undefined)[]): Failure {
  const raw = (error as { data?: { kind?: unknown } } | undefined)?.data?.kind;
  const kind = typeof raw === 'string' && KINDS.has(raw) ? (raw as FailureKind) : 'input';
  const message = redact(error instanceof Error ? error.message : String(error), secrets);
  return { message, kind };
}

/** The actions that fix a failure of this kind, as button title → command (and arguments). */
export function actionsFor(kind: FailureKind, endpoint: string): [string, string, ...unknown[]][] {
  switch (kind) {
    case 'unreachable':
      return [
        ...(isLoopbackEndpoint(endpoint) ? [['Start Local Sandbox', EDITOR_COMMANDS.startSandbox] as [string, string]] : []),
        ['Open Settings', 'workbench.action.openSettings', 'SCIMAgents.endpoint'],
      ];
    case 'auth':
      return [['Set Endpoint Token', EDITOR_COMMANDS.setToken]];
    case 'tls':
    case 'settings':
      return [['Open Settings', 'workbench.action.openSettings', 'SCIMAgents.endpoint']];
    case 'untrusted':
      return [['Manage Workspace Trust', 'workbench.trust.manage']];
    case 'server':
      return [['Show Output', EDITOR_COMMANDS.showOutput]];
    default:
      return [];
  }
}

/** Shows the one message of a failure and runs the action the user picks. */
export async function showFailure(message: string, kind: FailureKind, endpoint: string): Promise<void> {
  const actions = actionsFor(kind, endpoint);
  const picked = await vscode.window.showErrorMessage(`SCIM Agents: ${message}`, ...actions.map((a) => a[0]));
  const action = actions.find((a) => a[0] === picked);
  if (action) await vscode.commands.executeCommand(action[1], ...action.slice(2));
}
