/**
 * A fast path for .json manifests: one linear scan that builds the manifest's nodes with their
 * spans directly, instead of yaml's document model (which for a 50,000-resource JSON array
 * costs tens of seconds and kilobytes per value). It yields exactly what the YAML path yields
 * for valid JSON (same spans, values and styles); anything else (a syntax error, a duplicate
 * key, a document near the nesting limit) returns undefined and the caller checks and parses the
 * file as before, with its error messages.
 */
import { MAX_NESTING } from './depth';
import type { ManifestNode, MapEntry, MapNode } from './model';

/**
 * Containers deeper than this are left to the general path, which refuses a file nesting over
 * MAX_NESTING levels (./depth: it counts the root's line as one level, and each bracket): so
 * whatever this scan accepts, the depth check would have accepted, and it need not run first.
 */
const MAX_CONTAINER_DEPTH = MAX_NESTING - 2;
/** A JSON number, true, false or null, matched where the scan stands (sticky). */
const LITERAL = /(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

class NotFast extends Error {}

/**
 * With `eachItem`, the items of a top-level array are handed to it one by one and not kept (the
 * returned root lists none), so that a reader that lets them go never holds the whole tree;
 * when the scan then fails, what it was given is to be dropped.
 */
export function scanJson(text: string, eachItem?: (item: ManifestNode) => void): ManifestNode | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const fail = (): never => {
    throw new NotFast();
  };
  /** The string at the scan's position (unescaped); it spans from `tokenStart` to the scan's new position. */
  let tokenStart = 0;
  const stringToken = (): string => {
    const start = (tokenStart = i);
    i++; // opening quote
    let escaped = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 32) fail();
      i++;
    }
    if (i >= n) fail();
    i++; // closing quote
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  /** After a member: true at a comma (another follows), false at the closing bracket. */
  const more = (close: string): boolean => {
    ws();
    const c = text[i++];
    if (c === ',') return true;
    if (c === close) return false;
    return fail();
  };
  const value = (depth: number): ManifestNode => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '[') && depth > MAX_CONTAINER_DEPTH) fail();
    if (c === '{') {
      const map: MapNode = { kind: 'map', entries: [], span: { start: i, end: i }, flow: true };
      // Keys seen, for a map too long to search its entries (a manifest's maps are short).
      let keys: Set<string> | undefined;
      i++;
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail();
          const key = stringToken();
          const keySpan = { start: tokenStart, end: i };
          // yaml (uniqueKeys) reports duplicates: leave those to it.
          if (keys ? keys.has(key) : map.entries.some((e) => e.key === key)) fail();
          if (keys) keys.add(key);
          else if (map.entries.length >= 16) keys = new Set([...map.entries.map((e) => e.key), key]);
          ws();
          if (text[i] !== ':') fail();
          i++;
          const v = value(depth + 1);
          const entry: MapEntry = { key, keySpan, value: v, span: { start: keySpan.start, end: Math.max(keySpan.end, v.span.end) } };
          map.entries.push(entry);
          if (!more('}')) break;
        }
      }
      map.span.end = i;
      // Copied to its exact size: a list grown a push at a time keeps room for 16 more items
      // (V8 grows by half plus 16), for as long as the tree lives (a file's lifetime).
      map.entries = map.entries.slice();
      return map;
    }
    if (c === '[') {
      const start = i;
      const items: ManifestNode[] = [];
      i++;
      ws();
      if (text[i] === ']') i++;
      else {
        const streamed = depth === 0 ? eachItem : undefined;
        for (;;) {
          if (streamed) streamed(value(depth + 1));
          else items.push(value(depth + 1));
          if (!more(']')) break;
        }
      }
      return { kind: 'seq', items: items.slice(), span: { start, end: i }, flow: true };
    }
    if (c === '"') {
      const value = stringToken();
      return { kind: 'scalar', value, span: { start: tokenStart, end: i }, style: 'double' };
    }
    const start = i;
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (!m) fail();
    const token = m![0];
    i += token.length;
    const parsed = JSON.parse(token) as number | boolean | null;
    // yaml reads integers beyond 2^53 differently; leave those to it.
    if (typeof parsed === 'number' && (!Number.isFinite(parsed) || (Number.isInteger(parsed) && !Number.isSafeInteger(parsed)) || Object.is(parsed, -0)))
      fail();
    return { kind: 'scalar', value: parsed, span: { start, end: i }, style: 'plain' };
  };
  try {
    const root = value(0);
    ws();
    return i === n ? root : undefined;
  } catch (e) {
    if (e instanceof NotFast || e instanceof SyntaxError || e instanceof RangeError) return undefined;
    throw e;
  }
}
