/**
 * `s` without the copies of `ch` at its end. Not `replace(/x+$/, '')`: unanchored at the start,
 * that pattern rescans a run of `x` from each of its positions, quadratic in the run's length.
 */
export function trimEndChar(s: string, ch: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ch) end--;
  return s.slice(0, end);
}
