import { Alias, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ManifestFormat, ManifestNode, ManifestResource, MapEntry, MapNode, ParsedManifest, SyntaxProblem } from './model';
import { readDirectives } from './directives';
import { LineIndex, type Span } from './text';
import { PROFILE_KEY } from './authoringKeys';

/** Past this many characters a file is refused with a diagnostic rather than parsed. */
export const MAX_MANIFEST_CHARS = 32 * 1024 * 1024;
/**
 * Aliases let a few lines stand for an exponential tree (a "billion laughs" bomb). A resource
 * whose expanded size passes this budget is refused; the budget grows with the file so large
 * honest files still pass.
 */
const EXPANSION_FLOOR = 100_000;
const EXPANSION_PER_CHAR = 4;

export function formatOf(uri: string): ManifestFormat {
  return /\.json$/i.test(uri) ? 'json' : 'yaml';
}

export function parseManifest(uri: string, text: string, format: ManifestFormat = formatOf(uri)): ParsedManifest {
  const lines = new LineIndex(text);
  const directives = readDirectives(text, lines);
  const result: ParsedManifest = {
    uri,
    text,
    format,
    lines,
    resources: [],
    syntaxErrors: [],
    suppressions: directives.suppressions,
    fileProfile: directives.profile,
  };
  if (text.length > MAX_MANIFEST_CHARS) {
    result.syntaxErrors.push({
      message: `This file has ${text.length} characters; manifests over ${MAX_MANIFEST_CHARS} are not read. Split it into several files.`,
      span: lines.restOfLine(0),
    });
    return result;
  }

  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: false });
  } catch (e) {
    // The yaml package reports problems as data; a throw is unexpected but must not escape.
    result.syntaxErrors.push({ message: `Could not read the file: ${(e as Error).message}`, span: lines.restOfLine(0) });
    return result;
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];

  for (const doc of docs) {
    for (const err of doc.errors) result.syntaxErrors.push(problemAt(err.pos[0], firstLine(err.message), lines));
  }
  if (format === 'json') checkStrictJson(text, lines, result.syntaxErrors);
  if (result.syntaxErrors.length > 0 && format === 'json') return result;

  const budget = Math.max(EXPANSION_FLOOR, text.length * EXPANSION_PER_CHAR);
  let index = 0;
  for (const doc of docs) {
    if (doc.errors.length > 0) continue; // a broken document is reported once, as a syntax error
    const converter = new Converter(doc);
    const root = doc.contents ? converter.convert(doc.contents as YamlNode) : undefined;
    if (!root) continue;
    const candidates = root.kind === 'seq' && (format === 'json' || root.items.every((i) => i.kind === 'map')) ? root.items : [root];
    for (const node of candidates) {
      if (node.kind !== 'map') {
        result.syntaxErrors.push({
          message: 'Each document (or JSON array element) must be an object: one SCIM resource with its "schemas".',
          span: lines.restOfLine(node.span.start),
        });
        continue;
      }
      const size = converter.expandedSize(node);
      if (size > budget) {
        result.syntaxErrors.push({
          message: `This resource expands to ${size} values through aliases (more than ${budget}); it looks like an alias bomb and is not read.`,
          span: lines.restOfLine(node.span.start),
        });
        continue;
      }
      result.resources.push(toResource(node, index++, converter));
    }
  }
  return result;
}

function toResource(root: MapNode, index: number, converter: Converter): ManifestResource {
  const value = converter.toValue(root) as Record<string, unknown>;
  const profileValue = value[PROFILE_KEY];
  return {
    index,
    root,
    value,
    ...(typeof profileValue === 'string' ? { declaredProfile: profileValue } : {}),
  };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function problemAt(offset: number, message: string, lines: LineIndex): SyntaxProblem {
  return { message, span: lines.restOfLine(offset) };
}

/** YAML accepts more than JSON does; a .json file must be JSON. */
function checkStrictJson(text: string, lines: LineIndex, errors: SyntaxProblem[]): void {
  if (errors.length > 0) return;
  try {
    JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    let offset = 0;
    if (pos) offset = Number(pos[1]);
    else if (lc) offset = lines.offsetAt({ line: Number(lc[1]) - 1, character: Number(lc[2]) - 1 });
    errors.push(problemAt(offset, `Invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, lines));
  }
}

/** Turns yaml's AST into ManifestNodes. Aliases share the anchor's node, so nothing is copied. */
class Converter {
  private readonly converted = new Map<YamlNode, ManifestNode>();
  private readonly inProgress = new Set<YamlNode>();
  private readonly sizes = new Map<ManifestNode, number>();
  private readonly values = new Map<ManifestNode, unknown>();

  constructor(private readonly doc: Document.Parsed) {}

  convert(node: YamlNode): ManifestNode | undefined {
    if (isAlias(node)) {
      const target = (node as Alias).resolve(this.doc);
      if (!target || this.inProgress.has(target as YamlNode)) return undefined;
      return this.convert(target as YamlNode);
    }
    const done = this.converted.get(node);
    if (done) return done;
    this.inProgress.add(node);
    try {
      const out = this.convertFresh(node);
      if (out) this.converted.set(node, out);
      return out;
    } finally {
      this.inProgress.delete(node);
    }
  }

  private span(node: YamlNode): Span {
    const r = node.range;
    return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
  }

  private convertFresh(node: YamlNode): ManifestNode | undefined {
    if (isScalar(node)) {
      const s = node as Scalar;
      return { kind: 'scalar', value: scalarValue(s), span: this.span(node), style: scalarStyle(s) };
    }
    if (isSeq(node)) {
      const items: ManifestNode[] = [];
      for (const item of node.items) {
        const converted = item ? this.convert(item as YamlNode) : undefined;
        if (converted) items.push(converted);
      }
      return { kind: 'seq', items, span: this.span(node), flow: Boolean(node.flow) };
    }
    if (isMap(node)) {
      const map: MapNode = { kind: 'map', entries: [], span: this.span(node), flow: Boolean(node.flow) };
      const merged: MapEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const key = keyNode && isScalar(keyNode) ? String((keyNode as Scalar).value) : keyNode ? String(keyNode) : '';
        const keySpan = keyNode ? this.span(keyNode) : { start: 0, end: 0 };
        const valueNode = pair.value ? this.convert(pair.value as YamlNode) : undefined;
        const value: ManifestNode = valueNode ?? { kind: 'scalar', value: null, span: { start: keySpan.end, end: keySpan.end }, style: 'plain' };
        if (key === '<<' && keyNode && isScalar(keyNode) && !(keyNode as Scalar).type?.startsWith('QUOTE')) {
          // YAML merge keys: the merged entries come first and the map's own keys override them.
          for (const source of value.kind === 'seq' ? value.items : [value]) {
            if (source.kind === 'map') merged.push(...source.entries);
          }
          continue;
        }
        map.entries.push({ key, keySpan, value, span: { start: keySpan.start, end: Math.max(keySpan.end, value.span.end) } });
      }
      for (const entry of merged) if (!map.entries.some((e) => e.key === entry.key)) map.entries.push(entry);
      return map;
    }
    return undefined;
  }

  /** The size of the tree with aliases expanded, computed over the shared graph in linear time. */
  expandedSize(node: ManifestNode): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (node.kind === 'map') for (const e of node.entries) size += this.expandedSize(e.value);
    else if (node.kind === 'seq') for (const i of node.items) size += this.expandedSize(i);
    this.sizes.set(node, size);
    return size;
  }

  toValue(node: ManifestNode): unknown {
    const known = this.values.get(node);
    if (known !== undefined) return known;
    let value: unknown;
    if (node.kind === 'scalar') value = node.value;
    else if (node.kind === 'seq') value = node.items.map((i) => this.toValue(i));
    else {
      const obj: Record<string, unknown> = {};
      for (const e of node.entries) obj[e.key] = this.toValue(e.value);
      value = obj;
    }
    this.values.set(node, value);
    return value;
  }
}

function scalarValue(s: Scalar): string | number | boolean | null {
  const v = s.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  // Binary (!!binary) and other tagged values: keep their source text.
  return s.source ?? String(v);
}

function scalarStyle(s: Scalar): 'plain' | 'single' | 'double' | 'block' {
  switch (s.type) {
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      return 'block';
    default:
      return 'plain';
  }
}
