/**
 * Minimal text edits on manifests. Fixes never re-serialise a document: they insert, delete or
 * replace the few characters concerned, in the file's own style (block YAML, flow YAML or
 * JSON), indentation and line endings, so comments, anchors and formatting survive.
 */
import type { TextEdit } from 'vscode-languageserver';
import type { ManifestNode, MapEntry, MapNode, SeqNode } from '../../manifest/model';
import type { Span } from '../../manifest/text';
import type { BoundResource } from '../../model/bind';
import type { Finding } from '../../rules/types';
import type { FileAnalysis } from '../../workspace/index';
import { spanToRange } from '../convert';
import type { ServerState } from '../state';

export interface FixContext {
  state: ServerState;
  analysis: FileAnalysis;
  resource: BoundResource;
  finding: Finding;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export type FixProvider = (ctx: FixContext) => Fix[];

/** A value to write: a string (quoted as the style needs), or a list of maps with string values. */
export type Value = string | { [key: string]: string }[] | string[];

export class Editor {
  readonly text: string;
  readonly eol: string;
  readonly json: boolean;
  private readonly edits: TextEdit[] = [];

  constructor(readonly analysis: FileAnalysis) {
    this.text = analysis.manifest.text;
    this.eol = /\r\n/.test(this.text) ? '\r\n' : /\r/.test(this.text) && !/\n/.test(this.text) ? '\r' : '\n';
    this.json = analysis.manifest.format === 'json';
  }

  get lines() {
    return this.analysis.manifest.lines;
  }

  result(): TextEdit[] {
    return this.edits;
  }

  replace(span: Span, newText: string): this {
    this.edits.push({ range: spanToRange(this.lines, span), newText });
    return this;
  }

  insert(offset: number, newText: string): this {
    return this.replace({ start: offset, end: offset }, newText);
  }

  delete(span: Span): this {
    return this.replace(span, '');
  }

  column(offset: number): number {
    return this.lines.positionAt(offset).character;
  }

  line(offset: number): number {
    return this.lines.positionAt(offset).line;
  }

  /** The span without trailing blanks and line breaks (block values end after their last line break). */
  trimmed(span: Span): Span {
    let end = span.end;
    while (end > span.start && /\s/.test(this.text[end - 1]!)) end--;
    return { start: span.start, end };
  }

  lastLine(span: Span): number {
    return this.line(this.trimmed(span).end);
  }

  /** Leading whitespace of a line. */
  indentOf(line: number): string {
    const t = this.lines.lineText(line);
    return t.slice(0, t.length - t.trimStart().length);
  }

  // Scalars ----------------------------------------------------------------

  /** A scalar in this file's syntax; `like` keeps the quoting of the text it replaces. */
  scalar(value: string, like?: Span, flow = false): string {
    const raw = like ? this.text.slice(like.start, like.end) : '';
    if (raw.startsWith("'") && !this.json) return `'${value.replace(/'/g, "''")}'`;
    if (raw.startsWith('"') || this.json) return JSON.stringify(value);
    return plainSafe(value, flow) ? value : JSON.stringify(value);
  }

  key(name: string, like?: Span): string {
    return this.scalar(name, like, true);
  }

  /** A value in flow syntax (JSON or YAML flow). */
  flowValue(v: Value): string {
    if (typeof v === 'string') return this.scalar(v, undefined, true);
    if (v.length === 0) return '[]';
    const items = (v as unknown[]).map((item) =>
      typeof item === 'string'
        ? this.scalar(item, undefined, true)
        : `{${Object.entries(item as Record<string, string>)
            .map(([k, x]) => `${this.key(k)}: ${this.json ? JSON.stringify(x) : JSON.stringify(x)}`)
            .join(', ')}}`,
    );
    return `[${items.join(', ')}]`;
  }

  /** A value in block syntax: lines after `key:` (without indentation), or the inline text. */
  blockValue(v: Value): { inline?: string; lines?: string[] } {
    if (typeof v === 'string') return { inline: this.scalar(v) };
    if (v.length === 0) return { inline: '[]' };
    const lines: string[] = [];
    for (const item of v as unknown[]) {
      if (typeof item === 'string') lines.push(`- ${this.scalar(item)}`);
      else Object.entries(item as Record<string, string>).forEach(([k, x], i) => lines.push(`${i === 0 ? '- ' : '  '}${k}: ${this.scalar(x)}`));
    }
    return { lines };
  }

  // Entries ----------------------------------------------------------------

  /** Adds `key: value` to a map, first or last, in the map's own style. */
  addEntry(map: MapNode, key: string, value: Value, where: 'first' | 'last' = 'last'): this {
    const entries = map.entries;
    if (map.flow) {
      const pair = `${this.key(key)}: ${this.flowValue(value)}`;
      if (entries.length === 0) return this.insert(map.span.start + 1, this.json ? pair : ` ${pair} `);
      const anchor = where === 'first' ? entries[0]! : entries[entries.length - 1]!;
      const multiLine = this.line(anchor.keySpan.start) !== this.line(map.span.start) || this.line(map.span.end) !== this.line(anchor.keySpan.start);
      const indent = ' '.repeat(this.column(anchor.keySpan.start));
      if (where === 'first') return this.insert(anchor.keySpan.start, multiLine ? `${pair},${this.eol}${indent}` : `${pair}, `);
      return this.insert(anchor.span.end, multiLine ? `,${this.eol}${indent}${pair}` : `, ${pair}`);
    }
    const first = entries[0];
    if (!first) return this;
    const indent = ' '.repeat(this.column(first.keySpan.start));
    const block = this.blockValue(value);
    const text = [block.inline !== undefined ? `${key}: ${block.inline}` : `${key}:`, ...(block.lines ?? []).map((l) => `  ${l}`)];
    if (where === 'first' && this.lines.lineText(this.line(first.keySpan.start)).slice(0, this.column(first.keySpan.start)).trim() === '') {
      return this.insert(this.lines.lineStart(this.line(first.keySpan.start)), text.map((l) => indent + l + this.eol).join(''));
    }
    const last = entries[entries.length - 1]!;
    const at = this.lines.lineEnd(this.lastLine(last.span));
    return this.insert(at, text.map((l) => this.eol + indent + l).join(''));
  }

  /** Removes an entry with its line(s) (block) or with its comma (flow). */
  removeEntry(map: MapNode, entry: MapEntry): this {
    const i = map.entries.indexOf(entry);
    const next = map.entries[i + 1];
    const prev = map.entries[i - 1];
    if (map.flow) {
      if (next) return this.delete({ start: entry.span.start, end: next.keySpan.start });
      if (prev) return this.delete({ start: prev.span.end, end: this.trimmed(entry.span).end });
      return this.delete(this.trimmed(entry.span));
    }
    const startLine = this.line(entry.keySpan.start);
    const endLine = this.lastLine(entry.span);
    const before = this.text.slice(this.lines.lineStart(startLine), entry.keySpan.start);
    if (before.trim() !== '') {
      // `- key: value` (the entry opens a list element): keep the dash for the next entry.
      if (next) return this.delete({ start: entry.keySpan.start, end: next.keySpan.start });
      return this.delete({ start: entry.keySpan.start, end: this.lines.lineEnd(endLine) });
    }
    if (endLine + 1 < this.lines.lineCount) return this.delete({ start: this.lines.lineStart(startLine), end: this.lines.lineStart(endLine + 1) });
    const start = startLine > 0 ? this.lines.lineEnd(startLine - 1) : 0;
    return this.delete({ start, end: this.text.length });
  }

  /** Appends a scalar to a list, in the list's own style. */
  appendItem(seq: SeqNode, value: string): this {
    const last = seq.items[seq.items.length - 1];
    if (seq.flow) {
      const v = this.scalar(value, undefined, true);
      if (!last) return this.insert(seq.span.start + 1, v);
      const multiLine = this.line(last.span.start) !== this.line(seq.span.start);
      return this.insert(this.trimmed(last.span).end, multiLine ? `,${this.eol}${' '.repeat(this.column(last.span.start))}${v}` : `, ${v}`);
    }
    if (!last) return this;
    const dash = ' '.repeat(this.column(seq.span.start));
    return this.insert(this.lines.lineEnd(this.lastLine(last.span)), `${this.eol}${dash}- ${this.scalar(value)}`);
  }

  /** A whole-line comment above the line holding `offset`, at that line's indentation (YAML only). */
  commentAbove(offset: number, comment: string): this {
    const line = this.line(offset);
    const t = this.lines.lineText(line);
    const dash = /^(\s*)-\s/.exec(t);
    const indent = dash ? dash[1]! : this.indentOf(line);
    return this.insert(this.lines.lineStart(line), `${indent}# ${comment}${this.eol}`);
  }
}

function plainSafe(v: string, flow: boolean): boolean {
  if (v === '' || /^[\s&*!|>'"%@`#?:,[\]{}-]/.test(v) || /\s$/.test(v) || /: |\s#|:$/.test(v)) return false;
  if (flow && /[,[\]{}]/.test(v)) return false;
  return !/^(true|false|null|~|yes|no|on|off|y|n|[-+]?(?:\d(?:[\d_]*\d)?(?:\.\d+)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)$/i.test(v);
}

/** The map that holds `entry` directly, searched from `root`. */
export function parentMapOf(root: ManifestNode, entry: MapEntry): MapNode | undefined {
  const seen = new Set<ManifestNode>();
  const visit = (n: ManifestNode): MapNode | undefined => {
    if (seen.has(n)) return undefined;
    seen.add(n);
    if (n.kind === 'map') {
      if (n.entries.includes(entry)) return n;
      for (const e of n.entries) {
        const found = visit(e.value);
        if (found) return found;
      }
    } else if (n.kind === 'seq') {
      for (const i of n.items) {
        const found = visit(i);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(root);
}

/** The entry whose key starts at `offset`, anywhere under `root`. */
export function entryWithKeyAt(root: ManifestNode, offset: number): { map: MapNode; entry: MapEntry } | undefined {
  const seen = new Set<ManifestNode>();
  const visit = (n: ManifestNode): { map: MapNode; entry: MapEntry } | undefined => {
    if (seen.has(n)) return undefined;
    seen.add(n);
    if (n.kind === 'map') {
      for (const e of n.entries) {
        if (e.keySpan.start === offset) return { map: n, entry: e };
        const found = visit(e.value);
        if (found) return found;
      }
    } else if (n.kind === 'seq')
      for (const i of n.items) {
        const found = visit(i);
        if (found) return found;
      }
    return undefined;
  };
  return visit(root);
}
