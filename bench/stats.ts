/** Medians with min and max: one noisy sample says little on a shared two-core machine. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stat(samples: readonly number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median: round(median), min: round(s[0] ?? NaN), max: round(s[s.length - 1] ?? NaN), n: s.length };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function fmt(s: Stat | undefined, unit = 'ms'): string {
  if (!s || Number.isNaN(s.median)) return 'n/a';
  return s.n > 1 ? `${s.median} ${unit} (${s.min}–${s.max}, n=${s.n})` : `${s.median} ${unit}`;
}

export function ratio(a: number, b: number): number {
  return round(a / b, 2);
}
