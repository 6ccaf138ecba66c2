/**
 * The plan as a read-only virtual document (`scim-agents-plan:` scheme): what would change on
 * which host, before anything is applied. One preview per manifest, updated in place by the next
 * plan of that manifest (no pile of "plan N" tabs). Its name ends in `.scim-plan`, which the
 * extension contributes as the `scim-agents-plan` language, so that it gets word wrap by default
 * (package.json configurationDefaults): plan lines are long and the preview is often a narrow split.
 */
import * as vscode from 'vscode';

export const PLAN_SCHEME = 'scim-agents-plan';

export interface ShownPlan {
  endpointHost: string;
  counts: { create: number; update: number; unchanged: number; cannotApply: number };
  text: string;
}

export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This plan is no longer available: run "SCIM Agents: Plan" again.';
  }

  /** The preview's address for a manifest: the same for every plan of it. */
  static uriFor(source: vscode.Uri): vscode.Uri {
    const name = source.path.split('/').pop() || 'manifest';
    // The query keeps two manifests with the same name in different folders apart.
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${name} plan.scim-plan`, query: source.toString() });
  }

  /**
   * Shows the plan: where its preview already is when it is open in a visible editor, else
   * beside the manifest. The manifest keeps the focus.
   */
  async show(plan: ShownPlan, source: vscode.Uri): Promise<vscode.Uri> {
    const uri = PlanDocuments.uriFor(source);
    const key = uri.toString();
    const isOpen = this.texts.has(key);
    this.texts.set(key, `${summaryOf(plan)}\n\n${plan.text}`);
    if (isOpen) this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
    await vscode.window.showTextDocument(doc, {
      preview: true,
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function summaryOf(plan: ShownPlan): string {
  const c = plan.counts;
  return `SCIM endpoint ${plan.endpointHost}: ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.cannotApply} cannot be applied`;
}
