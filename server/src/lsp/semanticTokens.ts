import {
  SemanticTokensBuilder,
  type SemanticTokens,
  type SemanticTokensLegend,
  type SemanticTokensParams,
  type SemanticTokensRangeParams,
} from 'vscode-languageserver';
import type { Span } from '../manifest/text';
import type { BoundResource } from '../model/bind';
import { parseReference, RESOURCE_TYPE_OF, type ReferenceKind } from '../workspace/references';
import { rangeToSpan, spansMeet } from './convert';
import { isReferenceValue } from './nodes';
import type { ServerState } from './state';

/**
 * What the TextMate grammars cannot know, because it takes the binding or the workspace: whether
 * a `user:`/`group:`/`agent:`/`application:` reference names a resource the workspace declares,
 * which keys are schema URNs (an extension object, a qualified key) and which keys belong to an
 * extension schema. The names and their TextMate fallbacks are declared in package.json
 * (`semanticTokenTypes`, `semanticTokenModifiers`, `semanticTokenScopes`); the legend's order is
 * the protocol's, so a name is only ever appended.
 */
export const TOKEN_TYPES = ['scimReference', 'scimSchema', 'scimExtensionKey'] as const;
export const TOKEN_MODIFIERS = ['resolved', 'unresolved'] as const;

type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_TOKENS_PROVIDER: { legend: SemanticTokensLegend; full: true; range: true } = {
  legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] },
  full: true,
  range: true,
};

interface Token {
  span: Span;
  type: TokenType;
  modifier?: TokenModifier;
}

/** The tokens of a document (`textDocument/semanticTokens/full`) or of a range of it (`…/range`). */
export function semanticTokens(state: ServerState, params: SemanticTokensParams | SemanticTokensRangeParams): SemanticTokens {
  const analysis = state.analysis(params.textDocument.uri);
  const builder = new SemanticTokensBuilder();
  if (!analysis) return builder.build();
  const { lines, text } = analysis.manifest;
  const visible = 'range' in params ? rangeToSpan(lines, params.range) : undefined;
  // Whether the workspace declares any resource of a kind: without one, "unresolved" says nothing.
  const declared = new Map<ReferenceKind, boolean>();
  const anyDeclared = (kind: ReferenceKind) => {
    let known = declared.get(kind);
    if (known === undefined) declared.set(kind, (known = state.index.ofType(RESOURCE_TYPE_OF[kind]).length > 0));
    return known;
  };
  const tokens: Token[] = [];
  for (const r of analysis.resources) {
    if (visible && !spansMeet(r.resource.root.span, visible)) continue;
    collect(
      r,
      text,
      (kind, key) => {
        const targets = state.index.resolve({ kind, key });
        return targets.length > 0 ? 'resolved' : anyDeclared(kind) ? 'unresolved' : undefined;
      },
      tokens,
    );
  }
  tokens.sort((a, b) => a.span.start - b.span.start);
  let last = -1;
  for (const t of tokens) {
    if (t.span.start < last || (visible && !spansMeet(t.span, visible))) continue;
    const start = lines.positionAt(t.span.start);
    const end = lines.positionAt(t.span.end);
    if (start.line !== end.line || end.character <= start.character) continue; // a token is one line
    builder.push(
      start.line,
      start.character,
      end.character - start.character,
      TOKEN_TYPES.indexOf(t.type),
      t.modifier ? 1 << TOKEN_MODIFIERS.indexOf(t.modifier) : 0,
    );
    last = t.span.end;
  }
  return builder.build();
}

/** One pass over a resource's bound attributes and declared schemas. */
function collect(r: BoundResource, text: string, judge: (kind: ReferenceKind, key: string) => TokenModifier | undefined, out: Token[]): void {
  for (const s of r.declaredSchemas) out.push({ span: unquoted(text, s.span), type: 'scimSchema', ...(s.canonical ? {} : { modifier: 'unresolved' }) });
  for (const a of r.attributes) {
    const key = unquoted(text, a.entry.keySpan);
    if (a.extension && a.canonicalName === a.extension && !a.parent) {
      out.push({ span: key, type: 'scimSchema' }); // the extension object's key
    } else if (a.qualifier) {
      const urnEnd = key.start + a.qualifier.written.length;
      out.push({ span: { start: key.start, end: urnEnd }, type: 'scimSchema' });
      if (a.extension) out.push({ span: { start: urnEnd + 1, end: key.end }, type: 'scimExtensionKey' });
    } else if (a.extension) {
      out.push({ span: key, type: 'scimExtensionKey' });
    }
    const v = a.entry.value;
    if (v.kind !== 'scalar' || !isReferenceValue(r, a)) continue;
    const ref = parseReference(v.value);
    if (!ref) continue;
    const written = unquoted(text, v.span);
    const colon = text.indexOf(':', written.start);
    if (colon < 0 || colon >= written.end) continue;
    // The name after the prefix: the grammar already colours the prefix itself.
    const modifier = judge(ref.kind, ref.key);
    out.push({ span: { start: colon + 1, end: written.end }, type: 'scimReference', ...(modifier ? { modifier } : {}) });
  }
}

/** A key's or scalar's span without its quotes. */
function unquoted(text: string, span: Span): Span {
  const q = text[span.start];
  return (q === '"' || q === "'") && span.end - span.start >= 2 && text[span.end - 1] === q ? { start: span.start + 1, end: span.end - 1 } : span;
}
