import { InlayHintKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import type { BoundResource } from '../model/bind';
import { subValue, valuesOf } from '../model/values';
import { parseReference, REFERENCE_SLOTS, RESOURCE_TYPE_OF } from '../workspace/references';
import { rangeToSpan, spansMeet } from './convert';
import type { ServerState } from './state';

const MAX_LABEL = 60;

/**
 * What each `user:`/`group:`/`agent:` reference resolves to, written after it: a reader sees
 * "Alice Smith" or "inactive" without hovering. A reference is judged unknown only when the
 * workspace declares resources of its type (as owner-unresolved does); otherwise nothing is said.
 */
export function inlayHints(state: ServerState, params: InlayHintParams): InlayHint[] {
  if (!state.settings.inlayHints) return [];
  const analysis = state.analysis(params.textDocument.uri);
  if (!analysis) return [];
  const lines = analysis.manifest.lines;
  const visible = rangeToSpan(lines, params.range);
  const hints: InlayHint[] = [];
  for (const r of analysis.resources) {
    if (!spansMeet(r.resource.root.span, visible)) continue;
    for (const slot of REFERENCE_SLOTS) {
      if (slot.resourceType !== r.resourceType?.name) continue;
      for (const item of valuesOf(r, slot.attribute)) {
        const v = subValue(r, item, 'value');
        const ref = v && parseReference(v.value);
        if (!v || !ref || !slot.accepts.includes(ref.kind) || !spansMeet(v.span, visible)) continue;
        const targets = state.index.resolve(ref);
        const label =
          targets.length === 1
            ? describe(targets[0]!, ref.key)
            : targets.length > 1
              ? `ambiguous: ${targets.length} matches`
              : state.index.ofType(RESOURCE_TYPE_OF[ref.kind]).length > 0
                ? `no such ${ref.kind} in the workspace`
                : undefined;
        if (label) hints.push({ position: lines.positionAt(v.span.end), label: ` ${bounded(label)}`, kind: InlayHintKind.Type, paddingLeft: true });
      }
    }
  }
  return hints;
}

/** Its display name where that says more than the key; a Group's member count; inactive. */
function describe(t: BoundResource, key: string): string {
  const n = t.normalized;
  const formatted = n.name && typeof n.name === 'object' ? (n.name as Record<string, unknown>).formatted : undefined;
  const shown = [n.displayName, formatted].find((x): x is string => typeof x === 'string' && x.trim() !== '' && x.toLowerCase() !== key.toLowerCase());
  const members = Array.isArray(n.members) ? n.members.length : 0;
  const what =
    shown ??
    (t.resourceType?.name === 'Group' ? (members === 0 ? 'no members' : `${members} member${members === 1 ? '' : 's'}`) : `in ${t.uri.split('/').pop()}`);
  return n.active === false ? `${what} (inactive)` : what;
}

/** One short line: a manifest's text must not reshape the editor's layout. */
function bounded(text: string): string {
  let line = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    line += c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 ? ' ' : ch;
  }
  line = line.trim();
  return line.length > MAX_LABEL ? `${line.slice(0, MAX_LABEL - 1)}…` : line;
}
