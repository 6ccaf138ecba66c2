/**
 * The first index in [from, to) at which `past` holds, `to` when none does: `past` must be false
 * and then true along the range (sorted data), so a binary search finds it in log steps.
 */
export function firstIndex(from: number, to: number, past: (i: number) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
