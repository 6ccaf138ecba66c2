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

/**
 * A run of line starts: lines `line`, `line + 1`, ... start at `starts[from]`, ... `starts[to - 1]`,
 * each plus `delta`. Runs are shared between the indexes of successive versions of a text.
 */
interface Run {
  readonly starts: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly delta: number;
  readonly line: number;
}

/**
 * How many runs an index keeps before it writes its starts out as one array again: an edit adds
 * about two, so one keystroke in this many costs a pass over the lines, the others none.
 */
const MAX_RUNS = 32;

/** Maps offsets to positions and back in O(log lines). */
export class LineIndex {
  /**
   * The line starts, in runs, in order: one after a scan of the text; after an edit, the previous
   * index's runs before and after the edited stretch (the arrays shared, those after it moved by
   * a delta) around the starts scanned in it, so a keystroke neither copies nor moves the starts
   * of the lines it left alone.
   */
  private runs_: readonly Run[] | undefined;

  constructor(
    private readonly text: string,
    runs?: readonly Run[],
  ) {
    if (runs) {
      this.runs_ = runs.length > MAX_RUNS ? [flatten(runs)] : runs;
    }
  }

  /**
   * The starts of a fresh index are found at its first question: most files of a lint are
   * never asked (no finding, no syntax error), and a 50,000-resource file has 1.6 million lines.
   */
  private get runs(): readonly Run[] {
    return this.runs_ ?? this.scan();
  }

  private get count(): number {
    const runs = this.runs;
    const last = runs[runs.length - 1]!;
    return last.line + last.to - last.from;
  }

  private scan(): readonly Run[] {
    const { text } = this;
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
    return (this.runs_ = [{ starts, from: 0, to: starts.length, delta: 0, line: 0 }]);
  }

  /**
   * The index of `text`, an edit of `previous`'s text: the line starts before the edit and after
   * it are taken over (those after it moved by the change of length, as runs: not one by one),
   * only the edited stretch is scanned. The same starts as a fresh index; a keystroke costs one
   * comparison of the texts (none when the caller has it: `ends`, see commonEnds).
   */
  static after(previous: LineIndex, text: string, ends: CommonEnds = commonEnds(previous.text, text)): LineIndex {
    const old = previous.text;
    const p = ends.prefix;
    const s = ends.suffix;
    const delta = text.length - old.length;
    const count = previous.count;
    // Starts whose line break (one or two characters) and the character after it are all in the
    // common prefix, or all in the common suffix, are the same in both texts.
    // k: the last line that starts before p (binary search: the starts are increasing and the first is 0).
    let k = 0;
    let hi = count - 1;
    while (k < hi) {
      const mid = (k + hi + 1) >> 1;
      if (previous.startOf(mid) < p) k = mid;
      else hi = mid - 1;
    }
    const from = previous.startOf(k);
    const bound = old.length - s + 2 + delta;
    const scanned: number[] = [];
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (i + 1 >= bound) break;
      scanned.push(i + 1);
    }
    // The first line after k whose start lands at or past the bound, then every one after it (increasing).
    let j = k + 1;
    let top = count;
    while (j < top) {
      const mid = (j + top) >> 1;
      if (previous.startOf(mid) + delta >= bound) top = mid;
      else j = mid + 1;
    }
    const runs: Run[] = [];
    previous.runsOf(0, k + 1, 0, 0, runs);
    if (scanned.length > 0) runs.push({ starts: scanned, from: 0, to: scanned.length, delta: 0, line: k + 1 });
    previous.runsOf(j, count, k + 1 + scanned.length, delta, runs);
    return new LineIndex(text, runs);
  }

  get lineCount(): number {
    return this.count;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    // The run of the last start at or before the offset (the first run starts at 0), then that start in it.
    const runs = this.runs;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const r = runs[mid]!;
      if (r.starts[r.from]! + r.delta <= clamped) lo = mid;
      else hi = mid - 1;
    }
    const run = runs[lo]!;
    const target = clamped - run.delta;
    let a = run.from;
    let b = run.to - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (run.starts[mid]! <= target) a = mid;
      else b = mid - 1;
    }
    return { line: run.line + a - run.from, character: target - run.starts[a]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.count) return this.text.length;
    const start = this.startOf(position.line);
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  lineStart(line: number): number {
    return this.startOf(Math.max(0, Math.min(line, this.count - 1)));
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.count ? this.startOf(line + 1) : this.text.length;
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

  /** Where a line starts (0 <= line < lineCount). */
  private startOf(line: number): number {
    const runs = this.runs;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid]!.line <= line) lo = mid;
      else hi = mid - 1;
    }
    const run = runs[lo]!;
    return run.starts[run.from + line - run.line]! + run.delta;
  }

  /** Appends the runs of this index's lines [fromLine, toLine) to `out`, renumbered from `line` and moved by `delta`. */
  private runsOf(fromLine: number, toLine: number, line: number, delta: number, out: Run[]): void {
    for (const run of this.runs) {
      const a = Math.max(fromLine, run.line);
      const b = Math.min(toLine, run.line + run.to - run.from);
      if (a >= b) continue;
      out.push({ starts: run.starts, from: run.from + a - run.line, to: run.from + b - run.line, delta: run.delta + delta, line: line + a - fromLine });
    }
  }
}

/** One run of every start of `runs`, written out. */
function flatten(runs: readonly Run[]): Run {
  const starts: number[] = [];
  for (const run of runs) for (let i = run.from; i < run.to; i++) starts.push(run.starts[i]! + run.delta);
  return { starts, from: 0, to: starts.length, delta: 0, line: 0 };
}
