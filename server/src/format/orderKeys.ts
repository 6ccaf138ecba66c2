import type { MapNode, ParsedManifest } from '../manifest/model';
import type { Span } from '../manifest/text';

/**
 * The order a reader looks for things in: what the resource is, how it is keyed, what it is
 * called, who owns it, how it authenticates; everything else after, in the order it was written.
 */
const CANONICAL_ORDER = [
  'schemas',
  'externalid',
  'name',
  'agentusername',
  'username',
  'displayname',
  'description',
  'agenttype',
  'active',
  'owners',
  'parent',
  'subject',
  'agents',
];
const rankOf = (key: string): number => {
  const lower = key.toLowerCase();
  if (lower.startsWith('x-scim-agents-')) return -1;
  const i = CANONICAL_ORDER.indexOf(lower);
  return i < 0 ? CANONICAL_ORDER.length : i;
};

const DIRECTIVE = /^\s*#\s*scim-agents-disable-next-line\b/;

/** One resource's reordering: the text of `span` becomes `replacement`. */
export interface KeyOrderProposal {
  index: number;
  span: Span;
  replacement: string;
}

/**
 * Proposes, per resource, the order of its top-level attributes by moving whole entries: in YAML
 * an entry takes the comment lines written directly above it (above the first entry only
 * suppression directives, the rest is the document's header); blank lines and JSON's commas stay
 * where they were, so only the entries trade places. Resources already in order propose nothing.
 */
export function proposeKeyOrder(manifest: ParsedManifest): KeyOrderProposal[] {
  const { text } = manifest;
  const proposals: KeyOrderProposal[] = [];
  for (const resource of manifest.resources) {
    const root = resource.root;
    if (root.entries.length < 2 || (manifest.format === 'yaml' && root.flow)) continue;
    const blocks = manifest.format === 'json' ? jsonBlocks(text, root) : yamlBlocks(text, root);
    const order = blocks.map((b, i) => ({ b, i, rank: rankOf(root.entries[i]!.key) }));
    order.sort((x, y) => x.rank - y.rank || x.i - y.i);
    if (order.every((o, i) => o.i === i)) continue;
    const span = { start: blocks[0]!.start, end: blocks[blocks.length - 1]!.end };
    let replacement = '';
    let at = span.start;
    order.forEach((o, slot) => {
      replacement += text.slice(at, blocks[slot]!.start) + text.slice(o.b.start, o.b.end);
      at = blocks[slot]!.end;
    });
    proposals.push({ index: resource.index, span, replacement });
  }
  return proposals;
}

/** The text with the accepted proposals applied (they never overlap: one per resource). */
export function applyKeyOrder(text: string, proposals: readonly KeyOrderProposal[]): string {
  let out = '';
  let at = 0;
  for (const p of [...proposals].sort((a, b) => a.span.start - b.span.start)) {
    out += text.slice(at, p.span.start) + p.replacement;
    at = p.span.end;
  }
  return out + text.slice(at);
}

function jsonBlocks(text: string, root: MapNode): Span[] {
  return root.entries.map((e) => {
    const start = text[e.keySpan.start] === '"' || e.keySpan.start === 0 || text[e.keySpan.start - 1] !== '"' ? e.keySpan.start : e.keySpan.start - 1;
    return { start, end: e.span.end };
  });
}

function yamlBlocks(text: string, root: MapNode): Span[] {
  const blocks: Span[] = [];
  let floor = 0;
  root.entries.forEach((e, i) => {
    let start = lineStart(text, e.keySpan.start);
    // Comment lines directly above the key travel with it.
    while (start > floor) {
      const prev = lineStart(text, start - 1);
      const line = text.slice(prev, start);
      if (!/^\s*#/.test(line) || (i === 0 && !DIRECTIVE.test(line))) break;
      start = prev;
    }
    const lastChar = Math.max(e.span.end - 1, e.keySpan.start);
    const nl = text.indexOf('\n', lastChar);
    const end = nl < 0 ? text.length : nl + 1;
    blocks.push({ start, end });
    floor = end;
  });
  return blocks;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
