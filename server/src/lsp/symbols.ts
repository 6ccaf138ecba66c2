import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import type { BoundResource } from '../model/bind';
import { labelOf } from '../workspace/index';
import { spanToRange } from './convert';
import type { ServerState } from './state';

const KIND_OF_TYPE: Record<string, SymbolKind> = {
  Agent: SymbolKind.Class,
  AgenticApplication: SymbolKind.Module,
  User: SymbolKind.Object,
  Group: SymbolKind.Namespace,
};

/** Past this many children per resource the outline stops listing (a huge resource stays cheap). */
const MAX_CHILDREN = 500;

export function documentSymbols(state: ServerState, params: DocumentSymbolParams): DocumentSymbol[] {
  const analysis = state.analysis(params.textDocument.uri);
  if (!analysis) return [];
  const lines = analysis.manifest.lines;
  return analysis.resources.map((r) => resourceSymbol(r, lines));
}

function resourceSymbol(r: BoundResource, lines: import('../manifest/text').LineIndex): DocumentSymbol {
  const root = r.resource.root;
  const range = spanToRange(lines, root.span);
  const first = root.entries[0];
  const selection = first
    ? spanToRange(lines, (r.top.get('name') ?? r.top.get('userName') ?? r.top.get('displayName') ?? r.top.get('agentUserName'))?.entry.keySpan ?? first.keySpan)
    : range;
  const children: DocumentSymbol[] = root.entries.slice(0, MAX_CHILDREN).map((e) => {
    const b = r.attributes.find((a) => a.entry === e);
    const v = e.value;
    const detail = v.kind === 'scalar' ? String(v.value ?? '') : v.kind === 'seq' ? `${v.items.length} value${v.items.length === 1 ? '' : 's'}` : '';
    return {
      name: b?.canonicalName ?? e.key,
      detail: detail.length > 60 ? detail.slice(0, 57) + '…' : detail,
      kind: v.kind === 'seq' ? SymbolKind.Array : v.kind === 'map' ? SymbolKind.Object : SymbolKind.Property,
      range: spanToRange(lines, e.span),
      selectionRange: spanToRange(lines, e.keySpan),
    };
  });
  return {
    name: labelOf(r),
    detail: r.profile.id,
    kind: KIND_OF_TYPE[r.resourceType?.name ?? ''] ?? SymbolKind.Object,
    range,
    selectionRange: containsRange(range, selection) ? selection : range,
    children,
  };
}

function containsRange(outer: import('vscode-languageserver').Range, inner: import('vscode-languageserver').Range): boolean {
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}
