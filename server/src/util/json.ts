/**
 * A deep copy of a JSON value (objects, arrays, strings, numbers, booleans, null). Several times
 * faster than structuredClone on the small bodies a plan copies once per resource, which is what
 * a no-change re-plan of thousands of resources spends its time on.
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = copyJson((value as Record<string, unknown>)[key]);
    // A manifest may have a key "__proto__": an own property, as structuredClone keeps it.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out as T;
}
