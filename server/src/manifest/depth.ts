/**
 * How deep a file nests, found in one pass before any parser sees it. The yaml package composes
 * recursively: a file of a thousand nested sequences exhausts V8's stack inside a regular
 * expression, which is a fatal error no try/catch can catch. A manifest is a few levels deep, so
 * a file deeper than MAX_NESTING is refused with the line where it crosses the limit.
 *
 * The count is an upper bound that is cheap to keep: block levels from the stack of
 * indentations (plus the `- ` and `? ` written compactly on one line), flow levels from the
 * brackets outside quoted strings and comments. It may count a level yaml would not (a block
 * scalar's text), never fewer than yaml nests.
 */
export const MAX_NESTING = 64;

/** The offset of the line where the text nests deeper than MAX_NESTING, if it does. */
export function tooDeepAt(text: string): { offset: number; depth: number } | undefined {
  if (!mayNestDeeper(text)) return undefined;
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    if (flow === 0 && quote === undefined) {
      while (i < end && text.charCodeAt(i) === 32) i++;
      const indent = i - lineStart;
      const first = text[i];
      if (i < end && first !== '#' && first !== '\r') {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        let compact = 0;
        while ((text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
          compact++;
          i += 2;
          while (text[i] === ' ') i++;
        }
        const depth = indents.length + compact;
        if (depth > MAX_NESTING) return { offset: lineStart, depth };
      }
    }
    // Brackets: inside a flow collection every one outside quotes counts; outside one, only a
    // bracket that starts a value (a plain scalar such as `a[b` may hold one).
    let valueStart = true;
    for (; i < end; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || c === "'") {
        if (flow > 0 || valueStart) quote = c;
        valueStart = false;
        continue;
      }
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if ((c === '[' || c === '{') && (flow > 0 || valueStart)) {
        flow++;
        if (indents.length + flow > MAX_NESTING) return { offset: lineStart, depth: indents.length + flow };
        continue;
      }
      if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      // After `: `, `- ` or `,` a value starts; anything else is inside a scalar.
      valueStart = (c === ':' || c === '-' || c === ',') && (text[i + 1] === ' ' || text[i + 1] === '\t' || i + 1 === end || flow > 0);
    }
    lineStart = end + 1;
  }
  return undefined;
}

/**
 * A bound first, in one tight pass: the count below never nests less than the text's lines plus
 * its `-`, `?`, `[` and `{` (the block levels are at most one per line, the compact and flow ones
 * one per such character). A manifest of a few dozen lines stays under the limit by this alone,
 * and the count above, several times slower per character, is not run (it was about a tenth of
 * reading 11,000 small files).
 */
function mayNestDeeper(text: string): boolean {
  let bound = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 10 || c === 45 || c === 63 || c === 91 || c === 123) && ++bound > MAX_NESTING) return true;
  }
  return false;
}
