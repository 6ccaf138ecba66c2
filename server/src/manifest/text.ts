/** Offsets are UTF-16 code-unit indexes into the document text, the unit LSP uses by default. */
export interface Span {
  start: number;
  end: number;
}

/** Zero-based line and character, as LSP uses them. */
export interface Position {
  line: number;
  character: number;
}

/** How much an edited text shares with the text before the edit: its first `prefix` and last `suffix` characters (never overlapping). */
export interface CommonEnds {
  prefix: number;
  suffix: number;
}

/** The common prefix and suffix of two texts, compared a block at a time (a native comparison) before character by character. */
export function commonEnds(old: string, text: string): CommonEnds {
  const min = Math.min(old.length, text.length);
  const B = 4096;
  let p = 0;
  while (p + B <= min && old.slice(p, p + B) === text.slice(p, p + B)) p += B;
  while (p < min && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s + B <= min - p && old.slice(old.length - s - B, old.length - s) === text.slice(text.length - s - B, text.length - s)) s += B;
  while (s < min - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  return { prefix: p, suffix: s };
}

/** Maps offsets to positions and back in O(log lines). */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(
    private readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // Only \n breaks (most files): found by the string search, not a look at each character.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.lineStarts = starts;
  }

  /**
   * The index of `text`, an edit of `previous`'s text: the line starts before the edit and after
   * it are taken over (those after it moved by the change of length), only the edited stretch is
   * scanned. The same starts as a fresh index; a keystroke costs one comparison of the texts
   * (none when the caller has it: `ends`, see commonEnds).
   */
  static after(previous: LineIndex, text: string, ends: CommonEnds = commonEnds(previous.text, text)): LineIndex {
    const old = previous.text;
    const p = ends.prefix;
    const s = ends.suffix;
    const delta = text.length - old.length;
    const before = previous.lineStarts;
    // Starts whose line break (one or two characters) and the character after it are all in the
    // common prefix, or all in the common suffix, are the same in both texts.
    // k: the last start before p (binary search: the starts are increasing and before[0] is 0).
    let k = 0;
    let hi = before.length - 1;
    while (k < hi) {
      const mid = (k + hi + 1) >> 1;
      if (before[mid]! < p) k = mid;
      else hi = mid - 1;
    }
    const from = before[k]!;
    const bound = old.length - s + 2 + delta;
    const starts = before.slice(0, k + 1);
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (i + 1 >= bound) break;
      starts.push(i + 1);
    }
    // The first start after k that lands at or past the bound, then every one after it (increasing).
    let j = k + 1;
    let top = before.length;
    while (j < top) {
      const mid = (j + top) >> 1;
      if (before[mid]! + delta >= bound) top = mid;
      else j = mid + 1;
    }
    // An edit that kept the length leaves the starts after it as they were: copied whole, not one by one.
    if (delta === 0) return new LineIndex(text, j < before.length ? starts.concat(before.slice(j)) : starts);
    for (; j < before.length; j++) starts.push(before[j]! + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.lineStarts[lo]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line]!;
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))]!;
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
    let end = next;
    while (end > this.lineStart(line) && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /**
   * The span from `offset` to the end of its line: where syntax errors point, never to end of
   * file. An offset on an empty line (typically the end of the file) moves back to the last line
   * with content, so the squiggle is visible and near the cause.
   */
  restOfLine(offset: number): Span {
    let { line } = this.positionAt(offset);
    let start = Math.min(offset, this.text.length);
    if (this.lineText(line).trim() === '') {
      let l = line;
      while (l > 0 && this.lineText(l).trim() === '') l--;
      if (this.lineText(l).trim() !== '') {
        line = l;
        start = this.lineStart(l) + (this.lineText(l).length - this.lineText(l).trimStart().length);
      }
    }
    const end = this.lineEnd(line);
    // Keep the span on its line: the last character of it, or an empty span on an empty line.
    if (start >= end) return end > this.lineStart(line) ? { start: end - 1, end } : { start: end, end };
    return { start, end };
  }
}
