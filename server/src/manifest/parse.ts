import { Alias, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ManifestFormat, ManifestNode, ManifestResource, MapEntry, MapNode, ParsedManifest, SyntaxProblem } from './model';
import { DIRECTIVE_MARK, readDirectives, type Directives } from './directives';
import { commonEnds, LineIndex, type CommonEnds, type Span } from './text';
import { PROFILE_KEY } from './authoringKeys';
import { appendTo } from '../util/maps';
import { firstIndex } from '../util/search';
import { explainIndentation } from './indentation';
import { scanJson } from './json';
import { scanBlockYaml } from './blockYaml';
import { MAX_NESTING, tooDeepAt } from './depth';
import { plainValue } from './values';
import { MAX_MANIFEST_CHARS } from '../util/limits';

/**
 * Aliases let a few lines stand for an exponential tree (a "billion laughs" bomb). A resource
 * whose expanded size passes this budget is refused; the budget grows with the file so large
 * honest files still pass.
 */
const EXPANSION_FLOOR = 100_000;
const EXPANSION_PER_CHAR = 4;

export function formatOf(uri: string): ManifestFormat {
  return uri.slice(-5).toLowerCase() === '.json' ? 'json' : 'yaml';
}

/**
 * Parses a manifest. Given the previous parse of the same file (`previous`), a YAML file is
 * read per `---` document and documents whose text did not change are reused (their spans
 * shifted) instead of parsed again: an edit costs the parse of the documents it touched. The
 * result is the same as a fresh parse, spans included; whenever that cannot be guaranteed
 * (directives, a syntax error anywhere, unusual line breaks) the whole file is parsed.
 * `edited`, when the caller knows it (an editor's change ranges), is what `text` shares with the
 * previous text at least: saves comparing them.
 */
export function parseManifest(
  uri: string,
  text: string,
  format: ManifestFormat = formatOf(uri),
  previous?: ParsedManifest,
  edited?: CommonEnds,
): ParsedManifest {
  // What the edit left alone (found once, read by every step below): the previous parse's work
  // on it is taken over instead of done again.
  const before = previous && previous.text.length <= MAX_MANIFEST_CHARS ? previous : undefined;
  const ends = before ? (edited && fits(edited, before.text, text) ? edited : commonEnds(before.text, text)) : undefined;
  const result = emptyResult(uri, text, format, before, ends);
  const { lines } = result;
  if (text.length > MAX_MANIFEST_CHARS) {
    result.syntaxErrors.push({
      message: `This file has ${text.length} characters; manifests over ${MAX_MANIFEST_CHARS} are not read. Split it into several files.`,
      span: lines.restOfLine(0),
    });
    return result;
  }
  const budget = Math.max(EXPANSION_FLOOR, text.length * EXPANSION_PER_CHAR);
  // Split files check their depth per piece (parseChunk, before any parser sees the piece): a
  // keystroke checks the document it touched only. The whole file is checked before it is
  // parsed whole.
  const split = format === 'yaml' && splits(result, before, ends);
  if (split) {
    const moves: [Chunk, number][] = [];
    const cached = before ? chunkCache.get(before) : undefined;
    const kept: Kept = { head: 0, tail: 0 };
    const chunks = parseChunks(text, cached, moves, ends, kept);
    // The chunks kept from a parse's cache parsed cleanly: only the others can be broken.
    if (chunks.slice(kept.head, chunks.length - kept.tail).every((c) => !c.broken)) {
      for (const [chunk, start] of moves) moveTo(chunk, start);
      const collected = (before && cached && collectEdit(result, chunks, budget, before, cached, kept)) || collect(result, chunks, budget);
      chunkCache.set(result, { chunks, complete: true, ...collected });
      return result;
    }
    // A syntax error: yaml's own view of the whole file decides what is broken and where.
    chunkCache.set(result, { chunks: chunks.filter((c) => !c.broken), complete: false });
  }
  // Valid JSON within the depth limit is read by one scan, which leaves deeper files to the check below.
  if (format === 'json' && parseJsonFast(result, budget)) return result;
  const deep = tooDeepAt(text);
  if (deep) {
    result.syntaxErrors.push({
      message: `This line nests ${deep.depth} levels deep; manifests over ${MAX_NESTING} levels are not read (a manifest is a few levels deep).`,
      span: lines.restOfLine(deep.offset),
    });
    return result;
  }
  parseWhole(result, budget);
  return result;
}

/**
 * The resources of a file one by one, for a reader that keeps none of them (the CLI's lint
 * apart): `each` gets every resource parseManifest would list, in order, with the same spans,
 * indexes and syntax errors, and the parse it belongs to (whose `resources` stays empty); it lets
 * each go before the next is read, so a big file's trees are never all alive together. Multi-
 * document YAML is read a `---` piece at a time, a JSON array an element at a time; a YAML
 * sequence is one piece. Undefined when the file has to be read whole (a syntax error, a file the
 * fast paths do not take): parseManifest then, and what `each` was given is to be dropped.
 */
export function parseManifestEach(
  uri: string,
  text: string,
  each: (resource: ManifestResource, manifest: ParsedManifest) => void,
  format: ManifestFormat = formatOf(uri),
): ParsedManifest | undefined {
  if (text.length > MAX_MANIFEST_CHARS) return undefined;
  const result = emptyResult(uri, text, format);
  const budget = Math.max(EXPANSION_FLOOR, text.length * EXPANSION_PER_CHAR);
  let index = 0;
  // As collect() does for each item.
  const take = (item: DocItem) => {
    if ('notObject' in item) result.syntaxErrors.push(notAnObject(item.notObject, result.lines));
    else if (item.size > budget) result.syntaxErrors.push(tooExpanded(item.size, budget, item.root, result.lines));
    else each(toResource(item.root, item.value, index++), result);
  };
  if (format === 'json') {
    const root = scanJson(text, (node) => take(scannedItem(node)));
    if (!root) return undefined;
    if (root.kind !== 'seq') take(scannedItem(root));
    return result;
  }
  if (!canSplit(text)) return undefined;
  const starts = chunkStarts(text);
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const piece = text.slice(start, starts[i + 1] ?? text.length);
    // A document that is one sequence of maps (generators write them) is read an item at a time.
    let streamed = 0;
    const roots = scanBlockYaml(text, start, start + piece.length, (item) => {
      streamed++;
      take(scannedItem(item));
    });
    if (roots) {
      for (const root of roots) take(scannedItem(root));
      continue;
    }
    if (streamed > 0) return undefined;
    const chunk = parseChunk(piece, start, text);
    if (chunk.broken) return undefined;
    result.syntaxErrors.push(...chunk.problems);
    for (const item of chunk.items) take(item);
  }
  return result;
}

/** Ends that can be what two texts share: within both, not overlapping. */
function fits(ends: CommonEnds, old: string, text: string): boolean {
  return ends.prefix >= 0 && ends.suffix >= 0 && ends.prefix + ends.suffix <= Math.min(old.length, text.length);
}

/** `previous`, when given, is this file's previous parse and `ends` what its text shares with `text`. */
function emptyResult(uri: string, text: string, format: ManifestFormat, previous?: ParsedManifest, ends?: CommonEnds): ParsedManifest {
  const lines = previous ? LineIndex.after(previous.lines, text, ends) : new LineIndex(text);
  const directives = directivesOf(text, lines, previous, ends);
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
  if (!directives.marked) unmarked.add(result);
  return result;
}

/** Parses whose text has no DIRECTIVE_MARK anywhere, hence no directive. */
const unmarked = new WeakSet<ParsedManifest>();
/** Parses whose text canSplit. */
const splittable = new WeakSet<ParsedManifest>();

/** The edited stretch of `text` and `margin` characters either side. */
function around(text: string, ends: CommonEnds, margin: number): string {
  return text.slice(Math.max(0, ends.prefix - margin), Math.min(text.length, text.length - ends.suffix + margin));
}

/**
 * The file's directives. When the previous text had no directive mark, a mark in this one
 * overlaps the edited stretch (one wholly before or after it was in the previous text too): only
 * that stretch is searched, so a keystroke does not read the whole file for a comment.
 */
function directivesOf(text: string, lines: LineIndex, previous?: ParsedManifest, ends?: CommonEnds): Directives & { marked: boolean } {
  const marked =
    previous && ends && unmarked.has(previous) ? around(text, ends, DIRECTIVE_MARK.length - 1).includes(DIRECTIVE_MARK) : text.includes(DIRECTIVE_MARK);
  // Fields copied one by one: a spread followed by another field takes V8's slow path, per file.
  const { suppressions, profile } = readDirectives(text, lines, marked);
  return { suppressions, profile, marked };
}

/**
 * canSplit of the result's text. Everything canSplit refuses is one or two characters long, so
 * when the previous text passed, only the edited stretch and a character either side can fail
 * (the stretch alone may also fail where the whole would not, at its first character: then the
 * whole is asked).
 */
function splits(result: ParsedManifest, previous?: ParsedManifest, ends?: CommonEnds): boolean {
  const ok = (previous && ends && splittable.has(previous) && canSplit(around(result.text, ends, 1))) || canSplit(result.text);
  if (ok) splittable.add(result);
  return ok;
}

/** Valid JSON read by one linear scan (./json); false when the file needs the general path. */
function parseJsonFast(result: ParsedManifest, budget: number): boolean {
  const root = scanJson(result.text);
  if (!root) return false;
  const candidates = root.kind === 'seq' ? root.items : [root];
  const items = candidates.map(scannedItem);
  collect(result, [{ text: result.text, start: 0, broken: false, items, problems: [] }], budget);
  return true;
}

/**
 * An item read by a fast path. With no aliases every node is its own and spans at least one
 * character, so its length bounds the node count (and stays within the expansion budget, at
 * least four values per character) without a walk to count them; its plain value can be read
 * from the nodes whenever it is asked for (see toResource).
 */
function scannedItem(node: ManifestNode): DocItem {
  return node.kind === 'map' ? { root: node, size: node.span.end - node.span.start } : { notObject: node };
}

/**
 * The general path alone (yaml's parser on the whole file), without the fast paths: what they
 * must agree with, for the tests that check that they do.
 */
export function parseManifestWithYaml(uri: string, text: string, format: ManifestFormat = formatOf(uri)): ParsedManifest {
  const result = emptyResult(uri, text, format);
  parseWhole(result, Math.max(EXPANSION_FLOOR, text.length * EXPANSION_PER_CHAR));
  return result;
}

function parseWhole(result: ParsedManifest, budget: number): void {
  const { text, lines, format } = result;
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, YAML_OPTIONS);
  } catch (e) {
    // The yaml package reports problems as data; a throw is unexpected but must not escape.
    result.syntaxErrors.push({ message: `Could not read the file: ${(e as Error).message}`, span: lines.restOfLine(0) });
    return;
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];

  for (const doc of docs) {
    // A mis-indented key makes the parser complain about the line before it, twice; say instead
    // what the author got wrong, on the line they mistyped.
    const explained = format === 'yaml' ? explainIndentation(lines, doc.errors) : undefined;
    if (explained) result.syntaxErrors.push(explained);
    else for (const err of doc.errors) result.syntaxErrors.push(problemAt(err.pos[0], firstLine(err.message), lines));
  }
  if (format === 'json') checkStrictJson(text, lines, result.syntaxErrors);
  if (result.syntaxErrors.length > 0 && format === 'json') return;

  const items: DocItem[] = [];
  const problems: SyntaxProblem[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) continue; // a broken document is reported once, as a syntax error
    const read = docItems(doc, format);
    items.push(...read.items);
    problems.push(...read.problems);
  }
  collect(result, [{ text, start: 0, broken: false, items, problems }], budget);
}

const YAML_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: false } as const;

/** What one document yields, in file order: a resource root, or a node that is not an object. */
/** `value` is absent where the nodes alone give it (the fast paths). */
type DocItem = { root: MapNode; value?: Record<string, unknown>; size: number } | { notObject: ManifestNode };

/** A run of text from one `---` line to the next, parsed on its own, spans absolute at `start`. */
interface Chunk {
  text: string;
  start: number;
  broken: boolean;
  items: DocItem[];
  /** Problems of documents that parsed but cannot be read (an alias with no anchor), spans absolute. */
  problems: SyntaxProblem[];
  /** The resources built from `items` last time, reused while their index stays the same. */
  built?: (ManifestResource | undefined)[];
  /** Read by a fast path (no node shared through an alias). */
  fast?: boolean;
  /** Every span of its nodes, once each (see spansOf), kept for the next move. */
  spans?: Span[];
}

/** What collect leaves for the next edit's collectEdit. */
interface Collected {
  /** The index (in the parse's resources) of each chunk's first resource, and last the number of resources. */
  firsts: number[];
  /** No resource of the chunks expands to more values than this. */
  largest: number;
}

/**
 * A parse's chunks; `complete` when they are every chunk of its text, in order, where they start
 * (a parse with no syntax error), and then what collect left (Collected).
 */
interface ChunkCache extends Partial<Collected> {
  chunks: Chunk[];
  complete: boolean;
}
const chunkCache = new WeakMap<ParsedManifest, ChunkCache>();

/**
 * Where the `---` marker of the first document that starts after `from` ends, in a parse whose
 * edits read again only the documents they touch (a YAML file split at its `---` lines that
 * parsed cleanly); -1 for any other parse, or when no document starts after `from`. A space
 * inserted there changes no document's value.
 */
export function documentMarkerEndAfter(manifest: ParsedManifest, from: number): number {
  const cache = chunkCache.get(manifest);
  if (!cache?.complete) return -1;
  const { chunks } = cache;
  // Every chunk after the first starts with its marker (chunkStarts), and starts increase.
  const i = firstIndex(1, chunks.length, (k) => chunks[k]!.start > from);
  return i < chunks.length ? chunks[i]!.start + 3 : -1;
}

/** How many of parseChunks' chunks are the previous parse's first chunks (kept in place) and its last ones (moved). */
interface Kept {
  head: number;
  tail: number;
}

/**
 * Splitting at `---` lines is exact when each piece parses cleanly: a document start marker at
 * the start of a line ends any scalar or block (YAML 1.2 §9.1). Directives (`%YAML`, `%TAG`)
 * reach across documents, and a lone CR or a Unicode line separator is a line break one side
 * may see differently; those files are parsed whole.
 */
function canSplit(text: string): boolean {
  return !/(^|\n)%|\r(?!\n)|[\u2028\u2029]/.test(text);
}

/** Where chunks start in text[from, to) (`from` is 0 or a chunk's start, `to` the end or a chunk's start). */
function chunkStarts(text: string, from = 0, to = text.length): number[] {
  const starts = [from];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  marker.lastIndex = from + 1;
  for (let m = marker.exec(text); m && m.index < to; m = marker.exec(text)) starts.push(m.index);
  return starts;
}

/** The length of a chunk's `---` line prefix that decides it starts a chunk: the marker and the character after it. */
const MARKER_WINDOW = 4;

/**
 * Splits and parses; reused chunks are listed in `moves` with their new offset, to be moved once
 * the parse is known to stand. With the previous parse's chunks complete and what the edit left
 * alone (`ends`), the chunks wholly before the edit are kept where they are and those wholly after
 * it are moved by the change of length, without looking at their text: whether a line starts a
 * chunk is decided by its line break, its `---` and the character after it, and where all of these
 * are in the unchanged prefix (or suffix) the answer is the previous one. Only the stretch between
 * is split again; its pieces reuse a chunk of the same text (a document moved or restored).
 */
function parseChunks(text: string, previous: ChunkCache | undefined, moves: [Chunk, number][], ends: CommonEnds | undefined, kept: Kept): Chunk[] {
  const old = previous?.chunks ?? [];
  let head = 0;
  let tail = old.length;
  let from = 0;
  let to = text.length;
  if (previous?.complete && ends && old.length > 0) {
    const last = old[old.length - 1]!;
    const oldLength = last.start + last.text.length;
    const delta = text.length - oldLength;
    // old[i] is kept in place when its end (the next chunk's marker) and that marker's window are
    // in the prefix: head is the number of chunks after the first whose marker is. Starts increase,
    // so both ends are found by binary search (a keystroke does not walk the chunks).
    head = firstIndex(1, old.length, (i) => old[i]!.start + MARKER_WINDOW > ends.prefix) - 1;
    // old[j] is kept (moved) when the line break before its marker is in the suffix; the first chunk has no marker.
    tail = firstIndex(Math.max(1, head), old.length, (i) => old[i]!.start - 1 >= oldLength - ends.suffix);
    from = old[head]!.start;
    to = tail < old.length ? old[tail]!.start + delta : text.length;
    // An edit that kept the length moves nothing after it (no walk over the chunks after it).
    if (delta !== 0) for (let j = tail; j < old.length; j++) moves.push([old[j]!, old[j]!.start + delta]);
  }
  const reusable = new Map<string, Chunk[]>();
  for (let i = head; i < tail; i++) appendTo(reusable, old[i]!.text, old[i]!);
  const starts = chunkStarts(text, from, to);
  const middle: Chunk[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const piece = text.slice(start, starts[i + 1] ?? to);
    const again = reusable.get(piece)?.shift();
    if (again) moves.push([again, start]);
    middle.push(again ?? parseChunk(piece, start, text));
  }
  const out = head === 0 && tail === old.length ? middle : old.slice(0, head).concat(middle, old.slice(tail));
  kept.head = head;
  kept.tail = old.length - tail;
  return out;
}

function parseChunk(piece: string, start: number, text: string): Chunk {
  // Spans come out absolute: nothing to shift. The scan keeps to the depth limit itself (and
  // leaves deeper pieces to the check below), so a piece it reads needs no pass of its own for it.
  const fast = scanBlockYaml(text, start, start + piece.length);
  if (fast) {
    const chunk: Chunk = { text: piece, start, broken: false, fast: true, items: fast.map(scannedItem), problems: [] };
    // Listed now rather than at its first move: the first edit after opening costs what later ones do.
    spansOf(chunk);
    return chunk;
  }
  // A piece too deep for yaml's parser: the whole file is checked, and refused, on its own.
  if (tooDeepAt(piece)) return { text: piece, start, broken: true, items: [], problems: [] };
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(piece, YAML_OPTIONS) as Document.Parsed[];
  } catch {
    return { text: piece, start, broken: true, items: [], problems: [] };
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  if (docs.some((d) => d.errors.length > 0)) return { text: piece, start, broken: true, items: [], problems: [] };
  const items: DocItem[] = [];
  const problems: SyntaxProblem[] = [];
  for (const doc of docs) {
    const read = docItems(doc, 'yaml');
    items.push(...read.items);
    problems.push(...read.problems);
  }
  // yaml's spans are relative to the piece: move the fresh chunk to where the piece starts.
  const chunk: Chunk = { text: piece, start: 0, broken: false, items, problems };
  moveTo(chunk, start);
  return chunk;
}

function shiftProblem(problem: SyntaxProblem, delta: number): SyntaxProblem {
  return { message: problem.message, span: { start: problem.span.start + delta, end: problem.span.end + delta } };
}

/**
 * Moves a reused chunk to its new offset in place: its nodes, entries and resources stay the same
 * objects (so the bindings, keys and findings computed on them stay valid, see
 * workspace/findings.ts), only their spans change. The previous parse, which shared them, is
 * superseded by this one.
 */
function moveTo(chunk: Chunk, start: number): void {
  const delta = start - chunk.start;
  if (delta === 0) return;
  // A keystroke moves every chunk after it: an indexed loop, and no new list where there is no problem.
  const spans = spansOf(chunk);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    span.start += delta;
    span.end += delta;
  }
  if (chunk.problems.length > 0) chunk.problems = chunk.problems.map((p) => shiftProblem(p, delta));
  chunk.start = start;
}

/** Every span of a chunk's nodes once (nodes shared through aliases, and their spans, counted once). */
function spansOf(chunk: Chunk): Span[] {
  if (chunk.spans) return chunk.spans;
  const spans: Span[] = [];
  // Only yaml's parser shares nodes (aliases); the fast paths give every node its own span.
  const seen = chunk.fast ? undefined : new Set<object>();
  const add = (span: Span) => {
    if (seen) {
      if (seen.has(span)) return;
      seen.add(span);
    }
    spans.push(span);
  };
  const walk = (node: ManifestNode): void => {
    if (seen) {
      if (seen.has(node)) return;
      seen.add(node);
    }
    add(node.span);
    if (node.kind === 'seq') for (const i of node.items) walk(i);
    else if (node.kind === 'map')
      for (const e of node.entries) {
        add(e.keySpan);
        add(e.span);
        walk(e.value);
      }
  };
  for (const it of chunk.items) walk('notObject' in it ? it.notObject : it.root);
  chunk.spans = spans;
  return spans;
}

/**
 * The top-level items of one parsed document (the elements of a sequence of objects). An empty
 * document (a leading or trailing `---`, one holding only comments, what `...` leaves behind)
 * yields nothing, like an empty file. A document with an alias that resolves to nothing yields
 * only that problem: YAML 1.2 makes it an error, and reading it as null would surface as an
 * unrelated finding.
 */
function docItems(doc: Document.Parsed, format: ManifestFormat): { items: DocItem[]; problems: SyntaxProblem[] } {
  if (isEmptyDocument(doc)) return { items: [], problems: [] };
  const converter = new Converter(doc);
  const root = doc.contents ? converter.convert(doc.contents as YamlNode) : undefined;
  if (converter.problems.length > 0) return { items: [], problems: converter.problems };
  if (!root) return { items: [], problems: [] };
  const candidates = root.kind === 'seq' && (format === 'json' || root.items.every((i) => i.kind === 'map')) ? root.items : [root];
  const items = candidates.map((node): DocItem =>
    node.kind === 'map' ? { root: node, value: converter.toValue(node) as Record<string, unknown>, size: converter.expandedSize(node) } : { notObject: node },
  );
  return { items, problems: [] };
}

/** No content at all: not even `null` or `~` written out, no tag, no anchor. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents as YamlNode | null;
  if (!c) return true;
  if (!isScalar(c)) return false;
  const s = c as Scalar;
  return s.value === null && !s.source && !s.tag && !s.anchor;
}

/** Turns items into resources (numbered across the file) and per-resource problems; returns each chunk's first resource index (see ChunkCache). */
function collect(result: ParsedManifest, chunks: Chunk[], budget: number): Collected {
  const { lines } = result;
  const firsts: number[] = [];
  let index = 0;
  let largest = 0;
  for (const chunk of chunks) {
    firsts.push(index);
    result.syntaxErrors.push(...chunk.problems);
    const built: (ManifestResource | undefined)[] = [];
    chunk.items.forEach((item, k) => {
      if ('notObject' in item) {
        result.syntaxErrors.push(notAnObject(item.notObject, lines));
        return;
      }
      if (item.size > budget) {
        result.syntaxErrors.push(tooExpanded(item.size, budget, item.root, lines));
        return;
      }
      if (item.size > largest) largest = item.size;
      const before = chunk.built?.[k];
      // Kept only at the same index, so at the same place in `resources` (the index finds its binding there).
      const resource = before && before.index === index && before.root === item.root ? before : toResource(item.root, item.value, index);
      index++;
      built[k] = resource;
      result.resources.push(resource);
    });
    chunk.built = built;
  }
  firsts.push(index);
  return { firsts, largest };
}

/**
 * collect after an edit, when it can do the work of the chunks the edit touched only: the previous
 * parse had no syntax error (so its kept chunks have no problem), no resource it read is over the
 * new budget (an edit that shortens the file shrinks it), and the new chunks hold as many
 * resources as the ones they replace, without a problem. Then the kept chunks' resources are the previous parse's, at the same indexes (collect
 * would keep each of them): taken over as two slices rather than one by one, so a keystroke in one
 * document of a 5,000-document file does not walk 5,000 chunks. Returns collect's indexes, or
 * undefined (nothing done) when collect must run.
 */
function collectEdit(result: ParsedManifest, chunks: Chunk[], budget: number, previous: ParsedManifest, cache: ChunkCache, kept: Kept): Collected | undefined {
  const before = cache.firsts;
  if (!before || !cache.complete || previous.syntaxErrors.length > 0 || kept.head + kept.tail === 0) return undefined;
  // The kept chunks' resources are among the previous parse's: none is over the budget when none of those was.
  let largest = cache.largest;
  if (largest === undefined || largest > budget) return undefined;
  const oldCount = cache.chunks.length;
  const from = before[kept.head]!;
  const to = before[oldCount - kept.tail]!;
  const middle: ManifestResource[] = [];
  const firsts: number[] = [];
  const builts: (ManifestResource | undefined)[][] = [];
  let index = from;
  for (let i = kept.head; i < chunks.length - kept.tail; i++) {
    const chunk = chunks[i]!;
    if (chunk.problems.length > 0) return undefined;
    firsts.push(index);
    const built: (ManifestResource | undefined)[] = [];
    for (let k = 0; k < chunk.items.length; k++) {
      const item = chunk.items[k]!;
      if ('notObject' in item || item.size > budget) return undefined;
      if (item.size > largest) largest = item.size;
      const again = chunk.built?.[k];
      const resource = again && again.index === index && again.root === item.root ? again : toResource(item.root, item.value, index);
      index++;
      built[k] = resource;
      middle.push(resource);
    }
    builts.push(built);
  }
  if (index !== to) return undefined;
  for (let i = kept.head; i < chunks.length - kept.tail; i++) chunks[i]!.built = builts[i - kept.head];
  result.resources = previous.resources.slice(0, from).concat(middle, previous.resources.slice(to));
  return { firsts: before.slice(0, kept.head).concat(firsts, before.slice(oldCount - kept.tail)), largest };
}

function notAnObject(node: ManifestNode, lines: LineIndex): SyntaxProblem {
  return { message: 'Each document (or JSON array element) must be an object: one SCIM resource with its "schemas".', span: lines.restOfLine(node.span.start) };
}

function tooExpanded(size: number, budget: number, root: MapNode, lines: LineIndex): SyntaxProblem {
  return {
    message: `This resource expands to ${size} values through aliases (more than ${budget}); it looks like an alias bomb and is not read.`,
    span: lines.restOfLine(root.span.start),
  };
}

const PLAIN = Symbol('plain value');
type Lazy = ManifestResource & { [PLAIN]?: Record<string, unknown> };
/** One getter for every lazily read resource (no closure per resource); what it reads is kept beside, not enumerable. */
const LAZY_VALUE: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Lazy) {
    let plain = this[PLAIN];
    if (!plain) {
      plain = plainValue(this.root) as Record<string, unknown>;
      Object.defineProperty(this, PLAIN, { value: plain, writable: true, enumerable: false, configurable: true });
    }
    return plain;
  },
  set(this: Lazy, v: Record<string, unknown>) {
    Object.defineProperty(this, PLAIN, { value: v, writable: true, enumerable: false, configurable: true });
  },
};

function toResource(root: MapNode, value: Record<string, unknown> | undefined, index: number): ManifestResource {
  if (value) {
    const profileValue = value[PROFILE_KEY];
    return { index, root, value, declaredProfile: typeof profileValue === 'string' ? profileValue : undefined };
  }
  // Read from the nodes: the last entry of the key, as a plain object built from them keeps it.
  let profileEntry: MapEntry | undefined;
  for (const e of root.entries) if (e.key === PROFILE_KEY) profileEntry = e;
  const profileValue = profileEntry ? plainValue(profileEntry.value) : undefined;
  // The plain copy of every resource is made only when someone reads it (formatting, a few
  // rules): a plan of 11,000 files read none, and kept 11,000 copies.
  // Fields written one by one (a spread takes V8's slow path, per resource).
  const resource = { index, root, declaredProfile: typeof profileValue === 'string' ? profileValue : undefined } as ManifestResource;
  Object.defineProperty(resource, 'value', LAZY_VALUE);
  return resource;
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

/**
 * Turns yaml's AST into ManifestNodes. Aliases share the anchor's node, so nothing is copied.
 * Anchors are resolved in one walk of the document (yaml's own `Alias.resolve` walks the whole
 * document for each alias: quadratic in the number of aliases).
 */
class Converter {
  private readonly converted = new Map<YamlNode, ManifestNode>();
  private readonly inProgress = new Set<YamlNode>();
  private readonly sizes = new Map<ManifestNode, number>();
  private readonly values = new Map<ManifestNode, unknown>();
  private readonly targets: Map<Alias, YamlNode>;
  readonly problems: SyntaxProblem[] = [];

  constructor(doc: Document.Parsed) {
    this.targets = anchorTargets(doc);
  }

  convert(node: YamlNode): ManifestNode | undefined {
    if (isAlias(node)) {
      const alias = node as Alias;
      const target = this.targets.get(alias);
      if (!target) {
        this.problems.push({
          message: `The alias "*${alias.source}" has no anchor "&${alias.source}" before it in this document: an alias repeats a node anchored earlier in the same "---" document (YAML 1.2 §7.1).`,
          span: this.span(node),
        });
        return undefined;
      }
      if (this.inProgress.has(target)) {
        this.problems.push({ message: `The alias "*${alias.source}" sits inside the node it names: a resource cannot contain itself.`, span: this.span(node) });
        return undefined;
      }
      return this.convert(target);
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

/**
 * Each alias's node: the latest node with that anchor before the alias in document order, as
 * YAML 1.2 §7.1 says (an anchor may be redefined). One walk, so linear in the document.
 */
function anchorTargets(doc: Document.Parsed): Map<Alias, YamlNode> {
  const latest = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = latest.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) latest.set(node.anchor, node as YamlNode);
    },
  });
  return targets;
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
