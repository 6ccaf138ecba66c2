import type { YAMLError } from 'yaml';
import type { SyntaxProblem } from './model';
import type { LineIndex } from './text';

/**
 * The yaml parser reports a mis-indented key as "Nested mappings are not allowed in compact
 * mappings" and "Implicit keys need to be on a single line" on the value of the line before it,
 * or as "All mapping items must start at the same column": true, but not what the author did
 * wrong. This finds the line they mistyped and says it in their terms: how far it is indented
 * and how far the keys around it are. Undefined when the errors are not of that kind, or the
 * lines do not look like a mis-indented key (then the parser's own words are kept).
 */
export function explainIndentation(lines: LineIndex, errors: readonly YAMLError[]): SyntaxProblem | undefined {
  for (const err of errors) {
    const line = mistypedLine(lines, err);
    if (line === undefined) continue;
    const explained = explainLine(lines, line);
    if (explained) return explained;
  }
  return undefined;
}

function mistypedLine(lines: LineIndex, err: YAMLError): number | undefined {
  const at = lines.positionAt(err.pos[0]).line;
  switch (err.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      // Reported on the previous key's value: the mistyped key is the next line with content.
      return nextContentLine(lines, at);
    case 'BAD_INDENT':
      return err.message.startsWith('All mapping items') ? at : undefined;
    case 'MISSING_CHAR':
      return err.message.startsWith('Sequence item without') ? at : undefined;
    default:
      return undefined;
  }
}

interface KeyLine {
  /** Column of the key, after any `- ` sequence indicators. */
  column: number;
  /** Leading spaces of the line. */
  indent: number;
  key: string;
  /** The value starts a block scalar (`|`, `>`), whose lines are text, not keys. */
  blockScalar: boolean;
}

function explainLine(lines: LineIndex, line: number): SyntaxProblem | undefined {
  const mistyped = readKeyLine(lines.lineText(line));
  if (!mistyped) return undefined;
  // The open levels of keys above it, from the start of its document: [column, key] outermost first.
  const levels: { column: number; key: string }[] = [];
  let scalarAbove: number | undefined;
  for (let l = documentStart(lines, line); l < line; l++) {
    const text = lines.lineText(l);
    if (!hasContent(text)) continue;
    if (scalarAbove !== undefined && leadingSpaces(text) > scalarAbove) continue;
    scalarAbove = undefined;
    const k = readKeyLine(text);
    if (!k) continue;
    while (levels.length > 0 && levels[levels.length - 1]!.column > k.column) levels.pop();
    const top = levels[levels.length - 1];
    if (top && top.column === k.column) top.key = k.key;
    else levels.push({ column: k.column, key: k.key });
    if (k.blockScalar) scalarAbove = k.column;
  }
  const n = mistyped.indent;
  const top = levels[levels.length - 1];
  if (!top || n === top.column) return undefined;
  let sibling = top;
  if (n < top.column) {
    // Between two levels: the parser took it for a key of the nearest deeper one.
    for (let i = levels.length - 1; i >= 0 && levels[i]!.column > n; i--) sibling = levels[i]!;
  }
  const spaces = (k: number) => `${k} space${k === 1 ? '' : 's'}`;
  return {
    message: `This key is indented ${spaces(n)}, the keys around it ${sibling.column}: "${mistyped.key}" must line up with "${sibling.key}" above it (or be nested under a key that ends with ":").`,
    span: { start: lines.lineStart(line), end: lines.lineEnd(line) },
  };
}

/** Parses `  - - key: value` without a regular expression (linear, whatever the line holds). */
function readKeyLine(text: string): KeyLine | undefined {
  const indent = leadingSpaces(text);
  if (text.charAt(indent) === '\t') return undefined;
  let i = indent;
  while (text.charAt(i) === '-' && (text.charAt(i + 1) === ' ' || text.charAt(i + 1) === '\t')) {
    i += 2;
    while (text.charAt(i) === ' ') i++;
  }
  const first = text.charAt(i);
  if (first === '' || first === '#' || first === '[' || first === '{' || first === '|' || first === '>') return undefined;
  const colon = text.indexOf(':', i);
  if (colon < 0) return undefined;
  const after = text.charAt(colon + 1);
  if (after !== '' && after !== ' ' && after !== '\t') return undefined;
  const key = text.slice(i, colon).trim();
  if (key === '' || key.includes(' #')) return undefined;
  const value = text.slice(colon + 1).trim();
  return { column: i, indent, key, blockScalar: value.startsWith('|') || value.startsWith('>') };
}

function documentStart(lines: LineIndex, line: number): number {
  for (let l = line - 1; l >= 0; l--) {
    const text = lines.lineText(l);
    if (text.startsWith('---') || text.startsWith('...')) return l + 1;
  }
  return 0;
}

function nextContentLine(lines: LineIndex, line: number): number | undefined {
  for (let l = line + 1; l < lines.lineCount; l++) if (hasContent(lines.lineText(l))) return l;
  return undefined;
}

function hasContent(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && !trimmed.startsWith('#');
}

function leadingSpaces(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === 32) i++;
  return i;
}
