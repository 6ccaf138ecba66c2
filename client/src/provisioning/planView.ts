/**
 * The plan as a read-only virtual document (`scim-agents-plan:` scheme): what would change on
 * which host, before anything is applied. Each plan gets its own URI so earlier ones stay open.
 */
import * as vscode from 'vscode';

export const PLAN_SCHEME = 'scim-agents-plan';

export interface ShownPlan {
  endpointHost: string;
  counts: { create: number; update: number; unchanged: number; cannotApply: number };
  text: string;
}

export class PlanDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 1;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This plan is no longer available: run "SCIM Agents: Plan" again.';
  }

  /** Opens the plan beside the manifest and returns its URI. */
  async show(plan: ShownPlan, source: vscode.Uri): Promise<vscode.Uri> {
    const name = source.path.split('/').pop() ?? 'manifest';
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${name} plan ${this.next++}.txt` });
    this.texts.set(uri.toString(), `${summaryOf(plan)}\n\n${plan.text}`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return uri;
  }
}

export function summaryOf(plan: ShownPlan): string {
  const c = plan.counts;
  return `SCIM endpoint ${plan.endpointHost}: ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.cannotApply} cannot be applied`;
}
