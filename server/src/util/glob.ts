/**
 * The glob shapes we compile. picomatch turns a glob into a RegExp whose cost grows with the
 * path to the power of its wildcards (`*a*a*a*b` takes minutes on 100 characters), and globs come
 * from workspace files (.scim-agents.yaml overrides) and settings. So a glob is kept to shapes
 * whose matching stays linear in the path's depth and bounded per segment: at most one `**`, at
 * most two `*` in any other segment, no extglobs, no parenthesised groups, and `{a,b}`
 * alternatives neither nested nor more than MAX_ALTERNATIVES in product (each group is a regex
 * alternation: `{a,a}` thirty times backtracks 2^30 times on a name of a's); and paths with a
 * segment longer than any real file name are not matched at all.
 */
import picomatch from 'picomatch';

const MAX_GLOB_LENGTH = 256;
const MAX_GLOBSTARS = 1;
const MAX_STARS_PER_SEGMENT = 2;
/** The most ways a glob's `{…}` groups may combine (`{a,b}{c,d}` is 4). */
const MAX_ALTERNATIVES = 64;
/** No real file name is longer (NAME_MAX). */
const MAX_SEGMENT = 255;
const MAX_PATH = 4096;

/** Why a glob is not used, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[@!+*?]\(/.test(glob)) return 'extglobs such as *(…) or +(…) are not supported';
  const groups = groupProblem(glob);
  if (groups) return groups;
  const segments = glob.split('/');
  if (segments.filter((s) => s === '**').length > MAX_GLOBSTARS) return `more than ${MAX_GLOBSTARS} "**"`;
  for (const s of segments) {
    if (s === '**') continue;
    if (s.includes('**')) return '"**" must be a whole path segment';
    if ((s.match(/\*/g) ?? []).length > MAX_STARS_PER_SEGMENT) return `more than ${MAX_STARS_PER_SEGMENT} "*" in one segment`;
  }
  return undefined;
}

/** Why the glob's alternation groups are refused: `(…)` or `|` (a regex group to picomatch), nested or too many `{…}`. */
function groupProblem(glob: string): string | undefined {
  let combinations = 1;
  let alternatives = 0; // inside a `{…}` group: how many so far; 0 outside one
  let inClass = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' || c === ')' || c === '|') return 'parentheses and "|" are not supported (use {a,b})';
    else if (c === '{') {
      if (alternatives > 0) return 'nested {…} groups are not supported';
      alternatives = 1;
    } else if (c === ',' && alternatives > 0) alternatives++;
    else if (c === '}' && alternatives > 0) {
      combinations *= alternatives;
      if (combinations > MAX_ALTERNATIVES) return `its {…} groups combine in more than ${MAX_ALTERNATIVES} ways`;
      alternatives = 0;
    }
  }
  return undefined;
}

/** Whether a '/'-separated path is short enough, in all and per segment, to be matched against a glob. */
export function withinGlobBounds(rel: string): boolean {
  if (rel.length > MAX_PATH) return false;
  for (let start = 0; start <= rel.length;) {
    const end = rel.indexOf('/', start);
    const stop = end < 0 ? rel.length : end;
    if (stop - start > MAX_SEGMENT) return false;
    start = stop + 1;
  }
  return true;
}

/** A matcher for a glob of a bounded shape (see globProblem), or undefined for any other glob. */
export function boundedGlob(glob: string, options: { dot: boolean }): ((rel: string) => boolean) | undefined {
  if (globProblem(glob)) return undefined;
  const test = picomatch(glob, { noextglob: true, dot: options.dot });
  return (rel) => withinGlobBounds(rel) && test(rel);
}
