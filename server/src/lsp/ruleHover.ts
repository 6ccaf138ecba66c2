import { MarkupKind, type Hover, type HoverParams, type MarkupContent } from 'vscode-languageserver';
import { rulePagePath, sentence } from '../rules/catalogue';
import { ruleFor } from '../rules/registry';
import type { Span } from '../manifest/text';
import { contains, spanToRange } from './convert';
import { ruleHelpHref } from './ruleHelp';
import type { ServerState } from './state';

/** A hover is read at a glance: the summary is the docs' first paragraph, cut at a sentence. */
const MAX_SUMMARY = 280;

/**
 * The documentation of the rules whose findings cover the position, after whatever else the hover
 * says (the attribute, the reference): the rule's title, its summary and a link to its page
 * shipped with the extension. The editor shows the diagnostic's message itself; this says why.
 */
export function withRuleDocs(state: ServerState, params: HoverParams, base: Hover | null): Hover | null {
  const uri = params.textDocument.uri;
  const analysis = state.analysis(uri);
  if (!analysis) return base;
  const offset = analysis.manifest.lines.offsetAt(params.position);
  const here = state.findings(uri).filter((f) => contains(f.span, offset));
  const sections: string[] = [];
  const seen = new Set<string>();
  let first: Span | undefined;
  for (const f of here) {
    const rule = ruleFor(f.code);
    if (!rule || seen.has(f.code)) continue;
    seen.add(f.code);
    first ??= f.span;
    const href = ruleHelpHref(f.code);
    sections.push(
      [
        `**\`${rule.code}\`**: ${sentence(rule.title)}`,
        '',
        summary(rule.docs),
        ...(href ? ['', `[Rule documentation (${rulePagePath(rule.code)})](${href})`] : []),
      ].join('\n'),
    );
  }
  if (!first) return base;
  const before = base ? markdownOf(base) : '';
  return {
    contents: { kind: MarkupKind.Markdown, value: [before, ...sections].filter((s) => s !== '').join('\n\n---\n\n') },
    range: base?.range ?? spanToRange(analysis.manifest.lines, first),
  };
}

function markdownOf(h: Hover): string {
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((m) => (typeof m === 'string' ? m : `\`\`\`${m.language}\n${m.value}\n\`\`\``)).join('\n\n');
  return (c as MarkupContent).kind === MarkupKind.Markdown ? (c as MarkupContent).value : (c as { value: string }).value;
}

/** The first paragraph; a long one up to its last full sentence within the limit. */
function summary(docs: string): string {
  const first = docs.split(/\n\s*\n/)[0]!.trim();
  if (first.length <= MAX_SUMMARY) return first;
  const cut = first.lastIndexOf('. ', MAX_SUMMARY);
  return cut > 0 ? first.slice(0, cut + 1) : `${first.slice(0, MAX_SUMMARY - 1)}…`;
}
