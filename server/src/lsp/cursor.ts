/**
 * Where the cursor is, in terms completion understands: typing a key or a value, under which
 * attribute path, with which keys already present. It reads the text around the cursor rather
 * than the parsed tree, so it works on the half-typed (often unparsable) line being edited:
 * block YAML by indentation, JSON and YAML flow collections with a tolerant scanner.
 */
import type { ManifestFormat } from '../manifest/model';
import type { LineIndex, Span } from '../manifest/text';

export interface CursorContext {
  position: 'key' | 'value';
  /**
   * Attribute names from the resource's root: for a key, the path of the object being filled
   * (empty at the top); for a value, the path of the attribute whose value it is.
   */
  path: string[];
  /** For a key: the object is an element of a list. For a value: the value is a list element. */
  inItem: boolean;
  /** What is typed so far (quotes excluded). */
  partial: string;
  /** What a completion replaces (the partial word, quotes included). */
  replace: Span;
  /** The quote the token was opened with, if any. */
  quote?: '"' | "'";
  /** Keys already present in the object (lower case), the one being typed excluded. */
  siblings: Set<string>;
  style: 'block' | 'flow';
  /** Column of the key being typed (block YAML): children go deeper. */
  keyColumn: number;
  /** The text of the resource the cursor is in, as far as it can be told (type detection fallback). */
  section: Span;
}

interface Frame {
  kind: 'obj' | 'arr';
  /** Key in the enclosing object, '#' for a list element, undefined at the root. */
  key: string | undefined;
  keys: string[];
  start: number;
  afterColon: boolean;
  pendingKey?: string;
  currentKey?: string;
}

interface ScanResult {
  frames: Frame[];
  open?: { start: number; quote?: '"' | "'" };
  /** Offset where scanning stopped (a frame of depth 0 closed). */
  stoppedAt?: number;
}

const FLOW_INDICATORS = new Set([',', '{', '}', '[', ']']);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** A tolerant scanner for JSON and YAML flow collections: a stack of open containers and the open token. */
function scanFlow(text: string, from: number, to: number, yaml: boolean, initial: Frame[] = [], stopWhenEmpty = false): ScanResult {
  const frames = initial;
  const top = () => frames[frames.length - 1];
  const childKey = () => {
    const t = top();
    if (!t) return undefined;
    if (t.kind === 'arr') return '#';
    return t.afterColon ? (t.currentKey ?? '?') : '?';
  };
  const inValue = () => {
    const t = top();
    return !t || t.kind === 'arr' || t.afterColon;
  };
  const scalar = (s: string) => {
    const t = top();
    if (t && t.kind === 'obj' && !t.afterColon) t.pendingKey = s;
  };
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    if (isSpace(c)) continue;
    if (yaml && c === '#' && (i === 0 || isSpace(text[i - 1]))) {
      while (i < to && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < to) {
        if (c === '"' && text[j] === '\\') j += 2;
        else if (text[j] === c) {
          if (c === "'" && yaml && text[j + 1] === "'") j += 2;
          else break;
        } else j++;
      }
      if (j >= to) return { frames, open: { start: i, quote: c } };
      scalar(text.slice(i + 1, j));
      i = j;
      continue;
    }
    if (c === '{' || c === '[') {
      frames.push({ kind: c === '{' ? 'obj' : 'arr', key: childKey(), keys: [], start: i, afterColon: false });
      continue;
    }
    if (c === '}' || c === ']') {
      frames.pop();
      if (stopWhenEmpty && frames.length === 0) return { frames, stoppedAt: i + 1 };
      continue;
    }
    if (c === ':') {
      const t = top();
      if (t && t.kind === 'obj' && !t.afterColon) {
        t.afterColon = true;
        if (t.pendingKey !== undefined) {
          t.keys.push(t.pendingKey);
          t.currentKey = t.pendingKey;
        }
        t.pendingKey = undefined;
      }
      continue;
    }
    if (c === ',') {
      const t = top();
      if (t) {
        t.afterColon = false;
        t.pendingKey = undefined;
      }
      continue;
    }
    let j = i;
    while (j < to) {
      const d = text[j]!;
      if (FLOW_INDICATORS.has(d) || d === '\n' || d === '\r') break;
      if (d === ':') {
        const next = text[j + 1];
        if (next === undefined || isSpace(next) || FLOW_INDICATORS.has(next)) break;
        if (j + 1 === to && !inValue()) break;
      }
      j++;
    }
    if (j >= to) return { frames, open: { start: i } };
    scalar(text.slice(i, j).trim());
    i = j - 1;
  }
  return { frames };
}

/** The end of the token that starts at `start` and holds the cursor (same line only). */
function tokenEnd(text: string, cursor: number, quote: '"' | "'" | undefined): number {
  let j = cursor;
  if (quote) {
    while (j < text.length && text[j] !== quote && text[j] !== '\n' && text[j] !== '\r') j++;
    return text[j] === quote ? j + 1 : cursor;
  }
  while (j < text.length && /[A-Za-z0-9_$.@:-]/.test(text[j]!)) j++;
  return j;
}

function framesToContext(
  frames: Frame[],
  base: string[],
  baseInItem: boolean,
): { position: 'key' | 'value'; path: string[]; inItem: boolean; container?: Frame } | undefined {
  const path = [...base];
  let inItem = baseInItem;
  for (const f of frames) {
    if (f.key === '#') inItem = true;
    else if (f.key !== undefined) {
      if (f.key === '?') return undefined;
      path.push(f.key);
      inItem = false;
    }
  }
  const t = frames[frames.length - 1];
  if (!t) return undefined;
  if (t.kind === 'obj' && !t.afterColon) return { position: 'key', path, inItem, container: t };
  if (t.kind === 'obj') return t.currentKey !== undefined ? { position: 'value', path: [...path, t.currentKey], inItem: false, container: t } : undefined;
  return { position: 'value', path, inItem: true };
}

export function cursorContext(text: string, lines: LineIndex, format: ManifestFormat, offset: number): CursorContext | undefined {
  return format === 'json' ? jsonContext(text, offset) : yamlContext(text, lines, offset);
}

function jsonContext(text: string, offset: number): CursorContext | undefined {
  const scan = scanFlow(text, 0, offset, false);
  const frames = scan.frames;
  if (frames.length === 0) return undefined;
  // The resource: the root object, or an element of the root array.
  const resourceDepth = frames[0]!.kind === 'arr' ? 1 : 0;
  const resource = frames[resourceDepth];
  if (!resource || resource.kind !== 'obj') return undefined;
  const ctx = framesToContext([{ ...resource, key: undefined }, ...frames.slice(resourceDepth + 1)], [], false);
  if (!ctx) return undefined;
  const start = scan.open?.start ?? offset;
  const quote = scan.open?.quote;
  const end = tokenEnd(text, offset, quote);
  const siblings = new Set<string>();
  if (ctx.position === 'key' && ctx.container) {
    for (const k of ctx.container.keys) siblings.add(k.toLowerCase());
    const following: Frame = { kind: 'obj', key: undefined, keys: [], start: end, afterColon: false };
    scanFlow(text, end, text.length, false, [following], true);
    for (const k of following.keys) siblings.add(k.toLowerCase());
  }
  const after = scanFlow(
    text,
    resource.start + 1,
    text.length,
    false,
    [{ kind: 'obj', key: undefined, keys: [], start: resource.start, afterColon: false }],
    true,
  );
  return {
    position: ctx.position,
    path: ctx.path,
    inItem: ctx.inItem,
    partial: text.slice(quote ? start + 1 : start, offset),
    replace: { start, end },
    ...(quote ? { quote } : {}),
    siblings,
    style: 'flow',
    keyColumn: 0,
    section: { start: resource.start, end: after.stoppedAt ?? text.length },
  };
}

/** The context inside a YAML flow collection that starts at `from` (on the cursor's line). */
function flowContext(
  text: string,
  from: number,
  offset: number,
  base: string[],
  baseInItem: boolean,
  opensContainer: boolean,
  section: Span,
): CursorContext | undefined {
  const scan = scanFlow(text, from, offset, true);
  const [first, ...rest] = scan.frames;
  const frames = opensContainer && first ? [{ ...first, key: undefined }, ...rest] : scan.frames;
  const ctx = framesToContext(frames, base, baseInItem);
  if (!ctx) return undefined;
  const start = scan.open?.start ?? offset;
  const quote = scan.open?.quote;
  return {
    position: ctx.position,
    path: ctx.path,
    inItem: ctx.inItem,
    partial: text.slice(quote ? start + 1 : start, offset),
    replace: { start, end: tokenEnd(text, offset, quote) },
    ...(quote ? { quote } : {}),
    siblings: new Set((ctx.container?.keys ?? []).map((k) => k.toLowerCase())),
    style: 'flow',
    keyColumn: 0,
    section,
  };
}

interface YamlLine {
  indent: number;
  /** Column of each `- ` on the line. */
  dashes: number[];
  keyColumn: number;
  key?: string;
  /** What follows `key:`, comments excluded. */
  rest?: string;
  /** Offset (in the line) where `rest` starts. */
  restColumn?: number;
  body: string;
  blank: boolean;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"#{}[\],&*!|>%@`-][^#]*?|-[^\s#][^#]*?)\s*:(?=\s|$)/;

function readYamlLine(t: string): YamlLine {
  const indent = t.length - t.trimStart().length;
  const dashes: number[] = [];
  let col = indent;
  while (t[col] === '-' && (t[col + 1] === ' ' || t[col + 1] === '\t' || col + 1 === t.length)) {
    dashes.push(col);
    col++;
    while (t[col] === ' ' || t[col] === '\t') col++;
  }
  const body = t.slice(col);
  const blank = body.trim() === '' && dashes.length === 0 ? true : body.trimStart().startsWith('#') && dashes.length === 0;
  const m = KEY.exec(body);
  if (!m) return { indent, dashes, keyColumn: col, body, blank };
  let key = m[1]!.trim();
  if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))) key = key.slice(1, -1);
  let restColumn = col + m[0].length;
  while (t[restColumn] === ' ' || t[restColumn] === '\t') restColumn++;
  let rest = t.slice(restColumn);
  const comment = rest.search(/(^|\s)#/);
  if (comment >= 0) rest = rest.slice(0, comment);
  return { indent, dashes, keyColumn: col, key, rest: rest.trimEnd(), restColumn, body, blank };
}

const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/;

function yamlContext(text: string, lines: LineIndex, offset: number): CursorContext | undefined {
  const { line, character } = lines.positionAt(offset);
  const full = lines.lineText(line);
  const prefix = full.slice(0, character);
  if (prefix.trimStart().startsWith('#') || DOCUMENT_MARKER.test(full)) return undefined;
  const here = readYamlLine(prefix);
  const lineStart = lines.lineStart(line);

  // Ancestors by indentation.
  let limit = here.dashes.length > 0 ? here.dashes[0]! + 1 : here.keyColumn;
  let inItem = here.dashes.length > 0;
  let foundParent = false;
  const path: string[] = [];
  let docStart = 0;
  for (let l = line - 1; l >= 0; l--) {
    const t = lines.lineText(l);
    if (DOCUMENT_MARKER.test(t)) {
      docStart = lines.lineStart(l + 1);
      break;
    }
    const y = readYamlLine(t);
    if (y.blank) continue;
    if (limit === 0) continue; // at the top: keep looking for the document start only
    const firstDash = y.dashes[0];
    if (y.key !== undefined && y.keyColumn < limit) {
      path.unshift(y.key);
      foundParent = true;
      limit = firstDash !== undefined ? firstDash + 1 : y.keyColumn;
      if (firstDash !== undefined && path.length === 1) {
        /* the parent itself is a list element: irrelevant for the innermost container */
      }
      continue;
    }
    if (firstDash !== undefined && firstDash < limit && y.keyColumn >= limit) {
      if (!foundParent) inItem = true;
      limit = firstDash + 1;
    } else if (y.key === undefined && y.indent < limit && firstDash === undefined) {
      // A line that is not a key at a shallower level (a flow value continued): stop guessing.
      limit = y.indent;
    }
  }
  let docEnd = text.length;
  for (let l = line + 1; l < lines.lineCount; l++) {
    if (DOCUMENT_MARKER.test(lines.lineText(l))) {
      docEnd = lines.lineStart(l);
      break;
    }
  }
  const section = { start: docStart, end: docEnd };

  const keyColumn = here.keyColumn;
  const base = { siblings: new Set<string>(), style: 'block' as const, keyColumn, section };

  // Typing after `key:` on this line: a value (scalar or flow collection).
  if (here.key !== undefined && here.restColumn !== undefined && here.rest !== undefined && prefix.length >= here.restColumn) {
    const restStart = lineStart + here.restColumn;
    const firstChar = text[restStart];
    if (firstChar === '[' || firstChar === '{') {
      return flowContext(text, restStart, offset, [...path, here.key], false, false, section);
    }
    const quote = firstChar === '"' || firstChar === "'" ? firstChar : undefined;
    return {
      ...base,
      position: 'value',
      path: [...path, here.key],
      inItem: false,
      partial: text.slice(restStart + (quote ? 1 : 0), offset),
      replace: { start: restStart, end: tokenEnd(text, offset, quote) },
      ...(quote ? { quote } : {}),
    };
  }

  // A key being typed (or a list element's scalar: the caller decides from the schema).
  const bodyStart = lineStart + keyColumn;
  const typed = text.slice(bodyStart, offset);
  if (typed.startsWith('{') || typed.startsWith('[')) {
    // A flow collection opened on this line (`{schemas: [...], na|`): its first frame is the object itself.
    return flowContext(text, bodyStart, offset, path, inItem, true, section);
  }
  if (/[{}[\],#]/.test(typed) || (typed.includes(': ') && !typed.startsWith('"'))) return undefined;
  const quote = typed.startsWith('"') ? '"' : typed.startsWith("'") ? "'" : undefined;
  const siblings = new Set<string>();
  if (here.dashes.length === 0) {
    for (let l = line - 1; l >= 0; l--) {
      const y = readYamlLine(lines.lineText(l));
      if (DOCUMENT_MARKER.test(lines.lineText(l))) break;
      if (y.blank) continue;
      if (y.keyColumn < keyColumn && (y.dashes.length === 0 || y.dashes[0]! < keyColumn - 1 || y.key === undefined)) break;
      if (y.keyColumn === keyColumn && y.key !== undefined) siblings.add(y.key.toLowerCase());
      if (y.dashes.length > 0 && y.dashes[0]! < keyColumn) break;
      if (y.keyColumn < keyColumn) break;
    }
  }
  for (let l = line + 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (DOCUMENT_MARKER.test(t)) break;
    const y = readYamlLine(t);
    if (y.blank) continue;
    if (y.dashes.length > 0 && y.dashes[0]! < keyColumn) break;
    if (y.keyColumn < keyColumn) break;
    if (y.keyColumn === keyColumn && y.key !== undefined) siblings.add(y.key.toLowerCase());
  }
  return {
    ...base,
    position: 'key',
    path,
    inItem,
    partial: quote ? typed.slice(1) : typed,
    replace: { start: bodyStart, end: tokenEnd(text, offset, quote) },
    ...(quote ? { quote } : {}),
    siblings,
  };
}
