/**
 * Small runtime guards for JSON that comes over HTTP. Nothing from a server is trusted to have
 * the shape the RFC promises, so every reader goes through these.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Case-insensitive member lookup: SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
export function getMember(object: JsonObject, name: string): unknown {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return object[key];
  return undefined;
}

/** Integer from a number or a numeric string (servers send both); undefined otherwise. */
export function asInteger(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** Boolean from a boolean or "true"/"false" in any case; undefined otherwise. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * How deep a server's JSON may nest to be read. A SCIM body is a few levels deep (a list, a
 * resource, a complex value, a schema's sub-attributes); a body of millions of nested brackets,
 * which the size cap lets through, cost JSON.parse over a hundred times its size in memory
 * (28 MB of them: 3.3 GB and half a minute).
 */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON text nests deeper than `max` (brackets outside strings), in one linear pass. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote, past escapes
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** Parses a body that may be empty, not JSON at all, or nested too deep to be a SCIM body (all undefined); never throws. */
export function parseJsonLoosely(text: string): unknown {
  if (text.trim() === '' || nestsDeeperThan(text, MAX_JSON_DEPTH)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
