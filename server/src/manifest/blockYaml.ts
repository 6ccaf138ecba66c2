/**
 * A fast path for the YAML manifests people and generators write: block maps and sequences,
 * plain and single-line quoted scalars, one-line flow sequences, comments. One linear scan of a
 * `---` document builds the manifest's nodes with the spans yaml's parser gives them, without
 * yaml's token, CST and document models (most of a small file's lint time, and most of a large
 * file's memory). Anything outside that subset (anchors, tags, block scalars, multi-line or
 * escaped scalars, flow maps, numbers other than plain integers, tabs, CR, duplicate keys)
 * returns undefined and the caller parses the document with yaml, messages and all.
 * test/unit/manifest-block-yaml.test.ts checks that both paths give the same result.
 */
import { MAX_NESTING } from './depth';
import type { ManifestNode, MapEntry, MapNode, ScalarNode, SeqNode } from './model';

class NotFast extends Error {}

const fail = (): never => {
  throw new NotFast();
};

/** Tabs, CR, control characters, C1 and BOM: where YAML's rules get subtle, yaml decides. */
const NOT_FAST_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff]/;
/** A key as a plain scalar: it ends at the first `: ` (or `:` at the end of the line). */
const KEY = /[A-Za-z_$][^\s#,[\]{}]*?(?=:(?:[ \n]|$))/y;
/**
 * Up to this many keys, a map's duplicate keys are found by looking through its entries (a
 * manifest's top level has about a dozen: a set for each was a tenth of a small file's scan).
 */
const FEW_KEYS = 16;
/** Plain scalars that the YAML 1.2 core schema reads as null or booleans. */
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const SAFE_INT = /^(?:0|[1-9][0-9]{0,14})$/;
/** First characters a plain scalar of ours never starts with: indicators, and what may be a number. */
const NOT_PLAIN_START = new Set([...'-+.0123456789{}[]|>&*!%@`#,?:\'"']);

/**
 * The root nodes of one document (the text from one `---` line to the next, spans relative to
 * it), or undefined when it is outside the subset. An empty document yields no node. With
 * `eachItem`, a document that is a sequence of maps hands its items to it one by one and keeps
 * none (it returns no node), so that a reader that lets them go never holds the whole tree; when
 * the scan then fails, what it was given is to be dropped.
 */
export function scanBlockYaml(text: string, from = 0, to = text.length, eachItem?: (item: MapNode) => void): ManifestNode[] | undefined {
  // A slice shares the text's characters: no copy. One character class: linear, and a native
  // scan (the same test as a loop here was an eighth of parsing 10,000 small files).
  if (NOT_FAST_CHARACTER.test(from === 0 && to === text.length ? text : text.slice(from, to))) return undefined;
  try {
    return new Scanner(text, from, to, eachItem).document();
  } catch (e) {
    // Nesting deeper than the stack allows is left to yaml, as the JSON scan leaves it.
    if (e instanceof NotFast || e instanceof RangeError) return undefined;
    throw e;
  }
}

class Scanner {
  /**
   * Per line: where it starts, where its content ends (before the line break), its indent (-1:
   * blank or comment only). Typed and of the exact size: a 50,000-item sequence is one document
   * of over a million lines, and three growing lists of numbers were 40 MB while it was read.
   */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  /** The next content line after the map or sequence last read (-1: none), set by map and seq instead of a pair returned for every node. */
  private after = -1;

  constructor(
    private readonly text: string,
    from: number,
    private readonly to: number,
    private readonly eachItem?: (item: MapNode) => void,
  ) {
    let lines = 0;
    for (let start = from; start < to; lines++) {
      const end = text.indexOf('\n', start);
      start = end < 0 || end > to ? to + 1 : end + 1;
    }
    this.starts = new Int32Array(lines);
    this.ends = new Int32Array(lines);
    this.indents = new Int32Array(lines);
    let start = from;
    for (let line = 0; line < lines; line++) {
      let end = text.indexOf('\n', start);
      if (end < 0 || end > to) end = to;
      let i = start;
      while (i < end && text.charCodeAt(i) === 32) i++;
      this.starts[line] = start;
      this.ends[line] = end;
      this.indents[line] = i === end || text.charCodeAt(i) === 35 ? -1 : i - start;
      start = end + 1;
    }
  }

  document(): ManifestNode[] {
    let line = this.nextContent(0);
    if (line < 0) return [];
    if (this.text.startsWith('---', this.starts[line]!) && this.indents[line] === 0) {
      if (!/^---[ ]*$/.test(this.lineText(line))) fail();
      line = this.nextContent(line + 1);
      if (line < 0) return [];
    }
    if (this.indents[line] !== 0) fail();
    const root = this.isSeqItem(line, 0) ? this.seq(line, 0, 1, this.eachItem) : this.map(line, 0, 1);
    if (this.after >= 0) fail();
    if (root.kind === 'seq') return root.items.every((i) => i.kind === 'map') ? root.items : fail();
    return [root];
  }

  private lineText(line: number): string {
    return this.text.slice(this.starts[line], this.ends[line]);
  }

  /** The first line from `line` on with content, or -1. */
  private nextContent(line: number): number {
    for (let l = line; l < this.starts.length; l++) if (this.indents[l]! >= 0) return l;
    return -1;
  }

  /** Where a node written on `line` ends in yaml's eyes: after the line break (comments included). */
  private lineEndAfter(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1]! : this.to;
  }

  private isSeqItem(line: number, col: number): boolean {
    const at = this.starts[line]! + col;
    return this.text.charCodeAt(at) === 45 && (at + 1 === this.ends[line] || this.text.charCodeAt(at + 1) === 32);
  }

  /**
   * A block map whose keys stand at column `col`, the first on `line`; `after` is then the next
   * content line. `depth` is its level (the root's is 1), as depth.ts counts them.
   */
  private map(line: number, col: number, depth: number): MapNode {
    // Deeper is left to the slow path, which refuses it with its line (depth.ts).
    if (depth > MAX_NESTING) fail();
    const entries: MapEntry[] = [];
    // Duplicate keys are looked for in the entries while they are few, then in a set.
    let keys: Set<string> | undefined;
    const start = this.starts[line]! + col;
    let end: number;
    let l = line;
    for (;;) {
      const keyStart = this.starts[l]! + col;
      KEY.lastIndex = keyStart;
      // test, not exec: no match array per key.
      if (!KEY.test(this.text) || KEY.lastIndex > this.ends[l]!) fail();
      const key = this.text.slice(keyStart, KEY.lastIndex);
      if (entries.length >= FEW_KEYS && !keys) keys = new Set(entries.map((e) => e.key));
      if (keys ? keys.has(key) : hasKey(entries, key)) fail();
      // `<<`, `~`, `null`, `true`, `false` in any of their spellings: five characters at most.
      if (key.length <= 5 && (key === '<<' || NULLS.has(key) || TRUES.has(key) || FALSES.has(key))) fail();
      keys?.add(key);
      const keySpan = { start: keyStart, end: keyStart + key.length };
      let p = keySpan.end + 1;
      const lineEnd = this.ends[l]!;
      while (p < lineEnd && this.text.charCodeAt(p) === 32) p++;
      let value: ManifestNode;
      let next: number;
      if (p === lineEnd || this.text.charCodeAt(p) === 35) {
        if (p < lineEnd && this.text.charCodeAt(p - 1) !== 32) fail();
        const child = this.nextContent(l + 1);
        if (child < 0) fail();
        const indent = this.indents[child]!;
        if (indent >= col && this.isSeqItem(child, indent)) value = this.seq(child, indent, depth + 1);
        else if (indent > col) value = this.map(child, indent, depth + 1);
        else return fail();
        next = this.after;
        end = value.span.end;
      } else {
        value = this.inline(p, l, depth + 1);
        end = this.lineEndAfter(l);
        next = this.nextContent(l + 1);
      }
      entries.push({ key, keySpan, value, span: { start: keySpan.start, end: Math.max(keySpan.end, value.span.end) } });
      if (next < 0 || this.indents[next]! < col) {
        // Lists copied to their exact size, as in ./json.ts: the tree lives as long as the file.
        this.after = next;
        return { kind: 'map', entries: entries.slice(), span: { start, end }, flow: false };
      }
      if (this.indents[next]! > col || this.isSeqItem(next, col)) fail();
      l = next;
    }
  }

  /**
   * A block sequence whose `-` stand at column `col`, the first on `line`, at level `depth`. With
   * `emit` (the document's root sequence only), each item goes to it instead of into the node.
   */
  private seq(line: number, col: number, depth: number, emit?: (item: MapNode) => void): SeqNode {
    if (depth > MAX_NESTING) fail();
    const items: ManifestNode[] = [];
    const start = this.starts[line]! + col;
    let end: number;
    let l = line;
    for (;;) {
      let p = this.starts[l]! + col + 1;
      const lineEnd = this.ends[l]!;
      while (p < lineEnd && this.text.charCodeAt(p) === 32) p++;
      if (p === lineEnd || this.text.charCodeAt(p) === 35) fail();
      let item: ManifestNode;
      let next: number;
      KEY.lastIndex = p;
      if (KEY.test(this.text) && KEY.lastIndex <= lineEnd) {
        const itemCol = p - this.starts[l]!;
        item = this.map(l, itemCol, depth + 1);
        next = this.after;
        if (next >= 0 && this.indents[next]! > col && this.indents[next]! < itemCol) fail();
        end = item.span.end;
      } else {
        if (this.isSeqItem(l, p - this.starts[l]!)) fail();
        item = this.inline(p, l, depth + 1);
        end = this.lineEndAfter(l);
        next = this.nextContent(l + 1);
      }
      if (!emit) items.push(item);
      else {
        // An item that is not a map makes the whole sequence one non-object: yaml's path says so.
        if (item.kind !== 'map') fail();
        emit(item as MapNode);
      }
      if (next < 0 || this.indents[next]! < col || (this.indents[next] === col && !this.isSeqItem(next, col))) {
        this.after = next;
        return { kind: 'seq', items: items.slice(), span: { start, end }, flow: false };
      }
      if (this.indents[next]! > col) fail();
      l = next;
    }
  }

  /** A scalar or flow sequence that starts at `p` and ends on its line `line`; `depth` is the level a flow sequence here would have. */
  private inline(p: number, line: number, depth: number): ManifestNode {
    const lineEnd = this.ends[line]!;
    const c = this.text[p]!;
    let node: ManifestNode;
    let after: number;
    if (c === '"' || c === "'") {
      const q = this.quoted(p, lineEnd);
      node = q;
      after = q.span.end;
    } else if (c === '[') {
      if (depth > MAX_NESTING) fail();
      const s = this.flowSeq(p, lineEnd);
      node = s;
      after = s.span.end;
    } else {
      if (NOT_PLAIN_START.has(c) && !/[0-9]/.test(c)) fail();
      // The value runs to a comment (` #`; it does not start with `#`) or the end of its line,
      // found by a native search within the line rather than a loop over its characters.
      const comment = this.text.slice(p, lineEnd).indexOf(' #');
      let end = comment < 0 ? lineEnd : p + comment;
      while (end > p && this.text.charCodeAt(end - 1) === 32) end--;
      const raw = this.text.slice(p, end);
      if (raw.includes(': ') || raw.endsWith(':')) fail();
      node = plain(raw, p, end);
      after = end;
    }
    this.restIsComment(after, lineEnd);
    return node;
  }

  private restIsComment(from: number, lineEnd: number): void {
    let i = from;
    while (i < lineEnd && this.text.charCodeAt(i) === 32) i++;
    if (i < lineEnd && (this.text.charCodeAt(i) !== 35 || i === from)) fail();
  }

  private quoted(p: number, lineEnd: number): ScalarNode {
    const quote = this.text[p]!;
    if (quote === '"') {
      const close = this.within('"', p + 1, lineEnd);
      const inner = this.text.slice(p + 1, close);
      if (inner.includes('\\')) fail();
      return { kind: 'scalar', value: inner, span: { start: p, end: close + 1 }, style: 'double' };
    }
    let j = p + 1;
    for (;;) {
      j = this.within("'", j, lineEnd);
      if (this.text[j + 1] === "'") j += 2;
      else break;
    }
    return { kind: 'scalar', value: this.text.slice(p + 1, j).replace(/''/g, "'"), span: { start: p, end: j + 1 }, style: 'single' };
  }

  /** Where `ch` is next on this line (never searched past it: that would be quadratic), else not fast. */
  private within(ch: string, from: number, lineEnd: number): number {
    const code = ch.charCodeAt(0);
    for (let i = from; i < lineEnd; i++) if (this.text.charCodeAt(i) === code) return i;
    return fail();
  }

  /** `[a, "b", 'c']` on one line: scalars only. */
  private flowSeq(p: number, lineEnd: number): SeqNode {
    const items: ManifestNode[] = [];
    let i = p + 1;
    const skip = () => {
      while (i < lineEnd && this.text.charCodeAt(i) === 32) i++;
    };
    skip();
    if (this.text[i] === ']') return { kind: 'seq', items, span: { start: p, end: i + 1 }, flow: true };
    for (;;) {
      skip();
      if (i >= lineEnd) fail();
      const c = this.text[i]!;
      if (c === '"' || c === "'") {
        const q = this.quoted(i, lineEnd);
        items.push(q);
        i = q.span.end;
      } else {
        if (NOT_PLAIN_START.has(c) && !/[0-9]/.test(c)) fail();
        let j = i;
        while (j < lineEnd) {
          const d = this.text[j]!;
          if (d === ',' || d === ']') break;
          if (
            d === '[' ||
            d === '{' ||
            d === '}' ||
            d === '#' ||
            (d === ':' && (this.text[j + 1] === ' ' || this.text[j + 1] === ',' || this.text[j + 1] === ']'))
          )
            fail();
          j++;
        }
        let end = j;
        while (end > i && this.text.charCodeAt(end - 1) === 32) end--;
        if (end === i) fail();
        items.push(plain(this.text.slice(i, end), i, end));
        i = j;
      }
      skip();
      if (this.text[i] === ',') {
        i++;
        continue;
      }
      if (this.text[i] === ']') return { kind: 'seq', items: items.slice(), span: { start: p, end: i + 1 }, flow: true };
      return fail();
    }
  }
}

/** A plain loop: a callback per key costs more than the comparisons. */
function hasKey(entries: readonly MapEntry[], key: string): boolean {
  for (let i = 0; i < entries.length; i++) if (entries[i]!.key === key) return true;
  return false;
}

/** A plain scalar read as the YAML 1.2 core schema reads it (numbers only as plain integers). */
function plain(raw: string, start: number, end: number): ScalarNode {
  let value: string | number | boolean | null = raw;
  if (NULLS.has(raw)) value = null;
  else if (TRUES.has(raw)) value = true;
  else if (FALSES.has(raw)) value = false;
  else if (SAFE_INT.test(raw)) value = Number(raw);
  else if (NOT_PLAIN_START.has(raw[0]!)) fail();
  return { kind: 'scalar', value, span: { start, end }, style: 'plain' };
}
