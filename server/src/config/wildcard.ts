/**
 * The pattern language of `policies.subjectPattern`: a restricted glob, matched in linear time.
 *   *   any run of characters except `/`      **  any run of characters
 *   ?   one character except `/`             everything else is literal (no classes, no escapes)
 * We decided against user-given regular expressions: a JavaScript RegExp backtracks, and a
 * workspace's configuration must not be able to make the linter hang. Matching simulates the
 * pattern as a set of states over the input (no backtracking): cost ≤ input length × pattern
 * length, and patterns are capped at MAX_PATTERN characters, so it is linear in the input.
 */
export const MAX_PATTERN = 256;

type Token = { kind: 'lit'; ch: string } | { kind: 'one' } | { kind: 'star' } | { kind: 'globstar' };

export interface Wildcard {
  source: string;
  test(input: string): boolean;
}

export function compileWildcard(pattern: string): Wildcard {
  if (pattern.length > MAX_PATTERN) throw new RangeError(`a pattern has at most ${MAX_PATTERN} characters`);
  const tokens: Token[] = [];
  // By code point, as the input is read.
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        while (chars[i + 1] === '*') i++;
        tokens.push({ kind: 'globstar' });
      } else tokens.push({ kind: 'star' });
    } else if (ch === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'lit', ch });
  }
  return { source: pattern, test: (input) => run(tokens, input) };
}

function run(tokens: readonly Token[], input: string): boolean {
  const n = tokens.length;
  let states = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  // A star may match nothing: a state before a star also stands after it.
  const close = (set: Uint8Array) => {
    for (let s = 0; s < n; s++) if (set[s] && (tokens[s]!.kind === 'star' || tokens[s]!.kind === 'globstar')) set[s + 1] = 1;
  };
  states[0] = 1;
  close(states);
  for (const ch of input) {
    next.fill(0);
    let any = false;
    for (let s = 0; s < n; s++) {
      if (!states[s]) continue;
      const t = tokens[s]!;
      if (t.kind === 'lit' && t.ch === ch) next[s + 1] = 1;
      else if (t.kind === 'one' && ch !== '/') next[s + 1] = 1;
      else if (t.kind === 'star' && ch !== '/') next[s] = 1;
      else if (t.kind === 'globstar') next[s] = 1;
      else continue;
      any = true;
    }
    if (!any) return false;
    close(next);
    [states, next] = [next, states];
  }
  return states[n] === 1;
}
