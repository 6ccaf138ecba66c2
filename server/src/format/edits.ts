import { diffArrays } from 'diff';

/** A replacement of old[start, end) by text; offsets are into the old text. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** Beyond this many changed lines one replacement of the changed middle is as good as many. */
const MAX_EDIT_LENGTH = 2000;

/**
 * The edits that turn `before` into `after`, line by line, so that an editor keeps the cursor,
 * folding and bookmarks of every line the formatter did not change. The shared head and tail are
 * cut first; the middle is diffed (Myers, bounded), else replaced whole.
 */
export function minimalEdits(before: string, after: string): OffsetEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  let offset = a.slice(0, head).reduce((n, l) => n + l.length, 0);
  const whole = (): OffsetEdit[] => [{ start: offset, end: offset + midA.reduce((n, l) => n + l.length, 0), text: midB.join('') }];
  const changes = diffArrays(midA, midB, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return whole();
  const edits: OffsetEdit[] = [];
  for (const c of changes) {
    const len = c.value.reduce((n, l) => n + l.length, 0);
    if (c.added) {
      const last = edits[edits.length - 1];
      // A removal directly followed by an addition is one replacement.
      if (last && last.end === offset && last.text === '') last.text = c.value.join('');
      else edits.push({ start: offset, end: offset, text: c.value.join('') });
    } else if (c.removed) {
      edits.push({ start: offset, end: offset + len, text: '' });
      offset += len;
    } else {
      offset += len;
    }
  }
  return edits;
}

/** Lines with their line endings, so that joining them gives the text back. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}
