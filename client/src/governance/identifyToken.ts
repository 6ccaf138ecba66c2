/**
 * "SCIM Agents: Identify Token": which governed identity a JWT belongs to. The token is typed
 * into a password box, sent over the local language-server pipe, decoded there in memory and
 * dropped: never logged, shown, stored or sent to the endpoint (only its `sub` is, in a filter,
 * when a token for the endpoint is stored and the workspace is trusted).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IDENTIFY_TOKEN_REQUEST, type Correlation, type IdentifyTokenParams, type ServerArgument } from '../../../server/src/lsp/protocol';
const DETAILS_SCHEME = 'scim-agents-token';

/** Read-only documents with the latest correlation, rendered as markdown (claims only, never the token). */
export class CorrelationDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private text = '';

  show(c: Correlation): vscode.Uri {
    this.text = markdownOf(c);
    const uri = vscode.Uri.parse(`${DETAILS_SCHEME}:Token%20correlation.md`);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(): string {
    return this.text;
  }
}

export async function identifyToken(
  client: () => Promise<LanguageClient>,
  server: () => Promise<ServerArgument | undefined>,
  documents: CorrelationDocuments,
  arg?: unknown,
): Promise<Correlation | undefined> {
  // Scripts and tests may pass {jwt}; people get a password box, so the token is never on screen.
  const given = arg && typeof arg === 'object' && typeof (arg as { jwt?: unknown }).jwt === 'string' ? (arg as { jwt: string }).jwt : undefined;
  const jwt =
    given ??
    (await vscode.window.showInputBox({
      title: 'Identify Token',
      prompt: 'Paste a JWT: it is decoded locally and never stored, logged or sent anywhere.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'Paste a token (header.payload.signature).' : undefined),
    }));
  if (!jwt) return undefined;
  let correlation: Correlation;
  try {
    const s = await server();
    correlation = await (await client()).sendRequest<Correlation>(IDENTIFY_TOKEN_REQUEST, { jwt, ...(s ? { server: s } : {}) } satisfies IdentifyTokenParams);
  } catch (e) {
    void vscode.window.showErrorMessage(`Identify Token: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const details = 'Show Details';
  const open = correlation.matches.length === 1 ? 'Open Definition' : undefined;
  const show = correlation.verdict === 'matched' && correlation.warnings.length === 0 ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(correlation.summary, ...[details, open].filter((x): x is string => Boolean(x))).then(async (choice) => {
    if (choice === details) {
      const doc = await vscode.workspace.openTextDocument(documents.show(correlation));
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    } else if (choice === open) {
      const m = correlation.matches[0]!;
      await vscode.window.showTextDocument(vscode.Uri.parse(m.uri), {
        selection: new vscode.Range(m.range.start.line, m.range.start.character, m.range.end.line, m.range.end.character),
      });
    }
  });
  return correlation;
}

export function registerCorrelationDocuments(documents: CorrelationDocuments): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, documents);
}

function markdownOf(c: Correlation): string {
  const lines = ['# Token correlation', '', c.summary, '', '## Token claims', ''];
  lines.push(`- sub: \`${c.token.sub}\``, `- iss: ${c.token.iss ? `\`${c.token.iss}\`` : '(none)'}`);
  if (c.token.aud) lines.push(`- aud: ${c.token.aud.map((a) => `\`${a}\``).join(', ')}`);
  if (c.token.expires) lines.push(`- ${c.token.expired ? 'expired' : 'expires'}: ${c.token.expires}`);
  lines.push('', 'The signature was not verified: this says whom the token names, not that it is genuine.', '');
  for (const m of [...c.matches, ...c.issuerMismatches]) {
    lines.push(`## ${m.label}${m.issuerCheck === 'mismatch' ? ' (other issuer)' : ''}`, '');
    lines.push(`- file: ${m.uri} line ${m.line}`);
    lines.push(`- owners: ${m.owners.map((o) => `\`${o.reference}\` → ${o.resolvesTo} (${o.status})`).join('; ') || 'none'}`);
    lines.push(`- applications: ${m.applications.map((a) => a.label).join(', ') || 'none'}`);
    lines.push(`- issuers: ${m.issuers.join(', ') || 'not known to the manifests'}`, '');
  }
  if (c.server)
    lines.push(
      `## Server ${c.server.host}`,
      '',
      c.server.status === 'ok'
        ? c.server.matches.map((s) => `- Agent ${s.name ?? s.id} (id ${s.id})`).join('\n') || 'No agent has this subject.'
        : (c.server.message ?? c.server.status),
      '',
    );
  if (c.warnings.length) lines.push('## Warnings', '', ...c.warnings.map((w) => `- ${w}`), '');
  return lines.join('\n');
}
