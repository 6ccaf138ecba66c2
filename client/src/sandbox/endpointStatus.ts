/**
 * The status bar entry of the SCIM endpoint: which endpoint, and whether it answers. Checked
 * (an unauthenticated GET, no token) when the extension starts, when the endpoint setting
 * changes, when the local sandbox starts or stops, and after each provisioning command; never
 * on a timer. A click offers what helps: start or stop the local sandbox, set the token, open
 * the settings.
 */
import * as vscode from 'vscode';
import { EDITOR_COMMANDS } from '../../../server/src/lsp/protocol';
import { configuredEndpoint } from '../provisioning/secrets';
import { endpointAnswers, isLoopbackEndpoint, type LocalSandbox } from './localSandbox';

/** True while a loopback endpoint answers: the walkthrough's sandbox step is then done, however it was started. */
export const LOCAL_SANDBOX_ANSWERS_CONTEXT = 'scimAgents.localSandboxAnswers';

export class EndpointStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('SCIMAgents.endpoint', vscode.StatusBarAlignment.Left, 10);
  private checking = 0;
  /** The latest answer, for tests and the actions menu. */
  answers: boolean | undefined;

  constructor(private readonly sandbox: LocalSandbox) {
    this.item.name = 'SCIM Agents Endpoint';
    this.item.command = EDITOR_COMMANDS.endpointActions;
    this.item.show();
    void this.check();
  }

  /** Asks the endpoint whether it answers and shows the result; the latest check wins. */
  async check(): Promise<boolean> {
    const run = ++this.checking;
    const endpoint = configuredEndpoint();
    let host: string;
    try {
      host = new URL(endpoint).host;
    } catch {
      this.render('$(warning) SCIM: invalid endpoint', `SCIMAgents.endpoint.url is not a URL: ${endpoint}`, false);
      return false;
    }
    this.item.text = `$(sync~spin) SCIM ${host}`;
    const answers = await endpointAnswers(endpoint);
    if (run !== this.checking) return answers;
    const local = isLoopbackEndpoint(endpoint);
    void vscode.commands.executeCommand('setContext', LOCAL_SANDBOX_ANSWERS_CONTEXT, local && answers);
    const what = local ? 'local sandbox' : 'SCIM endpoint';
    if (answers)
      this.render(`$(pass) SCIM ${host}`, `The ${what} ${endpoint} answers.${this.sandbox.running ? ' Started from VS Code.' : ''} Click for actions.`, true);
    else
      this.render(
        `$(circle-slash) SCIM ${host}`,
        `The ${what} ${endpoint} does not answer.${local ? ' Click to start the local sandbox.' : ' Click for actions.'}`,
        false,
      );
    return answers;
  }

  private render(text: string, tooltip: string, answers: boolean): void {
    this.answers = answers;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = answers ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  /** The click: what can be done about the endpoint now. */
  async actions(): Promise<void> {
    const endpoint = configuredEndpoint();
    const answers = await this.check();
    const local = isLoopbackEndpoint(endpoint);
    const items: { label: string; command: string; args?: unknown[] }[] = [];
    if (local && !answers) items.push({ label: '$(play) Start Local Sandbox', command: EDITOR_COMMANDS.startSandbox });
    if (local && this.sandbox.running) items.push({ label: '$(debug-stop) Stop Local Sandbox', command: EDITOR_COMMANDS.stopSandbox });
    items.push({ label: '$(key) Set Endpoint Token', command: EDITOR_COMMANDS.setToken });
    items.push({ label: '$(gear) Open Settings', command: 'workbench.action.openSettings', args: ['SCIMAgents.endpoint'] });
    const pick = await vscode.window.showQuickPick(items, { title: `SCIM endpoint ${endpoint}: ${answers ? 'answers' : 'does not answer'}` });
    if (pick) await vscode.commands.executeCommand(pick.command, ...(pick.args ?? []));
  }

  dispose(): void {
    this.item.dispose();
  }
}
