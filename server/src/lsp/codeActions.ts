import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { rangeToSpan, spansMeet, toDiagnostic } from './convert';
import { disableForLine } from './fixes/disable';
import type { FixContext, FixProvider } from './fixes/edits';
import { addOwners } from './fixes/owners';
import { removeReadOnly } from './fixes/readOnly';
import { fixCanonicalValue, fixCase, renameUnknown } from './fixes/rename';
import { addSchemas } from './fixes/schemas';
import { replaceSecret } from './fixes/secret';
import { addSubject } from './fixes/subject';
import { ruleFor } from '../rules/registry';
import type { FixName } from '../rules/types';
import { resourceAt } from './nodes';
import { ruleHelpAction } from './ruleHelp';
import type { ServerState } from './state';

/**
 * The code behind each fix a rule declares (`fixes` in its file). Typed as a total record, so a
 * fix named by a rule cannot lack its provider.
 */
export const FIX_PROVIDERS: Record<FixName, FixProvider> = {
  'add-owners': addOwners,
  'add-schemas': addSchemas,
  'fix-case': fixCase,
  'rename-unknown': renameUnknown,
  'fix-canonical-value': fixCanonicalValue,
  'remove-read-only': removeReadOnly,
  'add-subject': addSubject,
  'replace-secret': replaceSecret,
};

/** Quick fixes for a rule code, as its declaration names them. Each reads the finding's `data`, never its message. */
export function fixesFor(code: string): FixProvider[] {
  return (ruleFor(code)?.fixes ?? []).map((name) => FIX_PROVIDERS[name]);
}

export function codeActions(state: ServerState, params: CodeActionParams): CodeAction[] {
  const uri = params.textDocument.uri;
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === CodeActionKind.Empty)) return [];
  const analysis = state.analysis(uri);
  if (!analysis) return [];
  const lines = analysis.manifest.lines;
  const requested = rangeToSpan(lines, params.range);
  const out: CodeAction[] = [];
  for (const finding of state.findings(uri)) {
    if (!spansMeet(finding.span, requested)) continue;
    const resource = resourceAt(analysis, finding.span.start);
    const diagnostic: Diagnostic = matchingDiagnostic(params.context.diagnostics, toDiagnostic(lines, finding));
    const providers = [...fixesFor(finding.code), disableForLine];
    for (const provider of providers) {
      if (!resource && provider !== disableForLine) continue;
      const ctx: FixContext = { state, analysis, resource: resource!, finding };
      for (const fix of provider(ctx)) {
        if (fix.edits.length === 0) continue;
        out.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          ...(fix.preferred ? { isPreferred: true } : {}),
          edit: { changes: { [uri]: fix.edits } },
        });
      }
    }
    const help = state.ruleHelpCommand ? ruleHelpAction(state.ruleHelpCommand, diagnostic) : undefined;
    if (help) out.push(help);
  }
  return out;
}

/** The client's own diagnostic object when it sent one for this finding (so the editor links them). */
function matchingDiagnostic(sent: Diagnostic[], ours: Diagnostic): Diagnostic {
  const same = sent.find(
    (d) =>
      d.code === ours.code &&
      d.range.start.line === ours.range.start.line &&
      d.range.start.character === ours.range.start.character &&
      d.range.end.line === ours.range.end.line &&
      d.range.end.character === ours.range.end.character,
  );
  return same ?? ours;
}
