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
import { resourceAt } from './nodes';
import type { ServerState } from './state';

/** Quick fixes by rule code. Each reads the finding's `data`, never its message. */
export const FIXES: Record<string, FixProvider> = {
  'owner-missing': addOwners,
  'schemas-missing': addSchemas,
  'attribute-case': fixCase,
  'unknown-attribute': renameUnknown,
  'canonical-value': fixCanonicalValue,
  'read-only-attribute': removeReadOnly,
  'credential-unbound': addSubject,
  'secret-inline': replaceSecret,
};

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
    const providers = [FIXES[finding.code], disableForLine].filter((p): p is FixProvider => Boolean(p));
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
