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

/**
 * The tables of a run of some parts (SCIM_AGENTS_BENCH_ONLY) put in place of the same sections of
 * the last results.json's, the sections of the parts not run kept: the markdown always shows
 * every part, as the figures beside it do. Sections are known by their heading up to its figures.
 */
export function withEarlier(earlier: unknown, now: string): string {
  if (typeof earlier !== 'string' || earlier === '') return now;
  const title = (section: string) => section.split('\n', 1)[0]!.replace(/ \(.*$/, '');
  const sections = (md: string) => md.split(/\n(?=### )/);
  const fresh = new Map(sections(now).map((s) => [title(s), s]));
  const merged = sections(earlier).map((s) => {
    const replaced = fresh.get(title(s));
    fresh.delete(title(s));
    return replaced ?? s;
  });
  return [...merged, ...fresh.values()].join('\n');
}
