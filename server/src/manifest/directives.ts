import type { LineIndex } from './text';

/**
 * Comment directives. They are whole-line comments so a simple line scan finds them without
 * re-reading the YAML, and a `#` inside a string can never be mistaken for one.
 *   # scim-agents-disable-next-line owner-missing, subject-missing
 *   # scim-agents-profile: wzdk-00
 */
/** Every directive contains this (a text without it has none). */
export const DIRECTIVE_MARK = 'scim-agents-';
const DISABLE = /^\s*#\s*scim-agents-disable-next-line\b(.*)$/;
const PROFILE = /^\s*#\s*scim-agents-profile\s*:\s*([A-Za-z0-9._-]+)\s*$/;

export interface Directives {
  suppressions: ReadonlyMap<number, ReadonlySet<string>>;
  profile?: string;
}

/** A file without directives (nearly all): one map for them all, not one each. */
const NONE: ReadonlyMap<number, ReadonlySet<string>> = new Map();

/** `marked`: whether the text holds DIRECTIVE_MARK, when the caller already knows (parse.ts finds it from the edit alone). */
export function readDirectives(text: string, lines: LineIndex, marked = text.includes(DIRECTIVE_MARK)): Directives {
  if (!marked) return { suppressions: NONE };
  const suppressions = new Map<number, Set<string>>();
  let profile: string | undefined;
  for (let line = 0; line < lines.lineCount; line++) {
    const content = lines.lineText(line);
    if (!content.includes(DIRECTIVE_MARK)) continue;
    const disable = DISABLE.exec(content);
    if (disable) {
      const codes = (disable[1] ?? '')
        .split(/[\s,]+/)
        .map((c) => c.trim())
        .filter((c) => c.length > 0 && !c.startsWith('--'));
      suppressions.set(nextContentLine(lines, line), new Set(codes));
      continue;
    }
    const p = PROFILE.exec(content);
    if (p && profile === undefined) profile = p[1];
  }
  return { suppressions, ...(profile ? { profile } : {}) };
}

/** The line a disable comment applies to: the next one that is not blank or a comment. */
function nextContentLine(lines: LineIndex, line: number): number {
  for (let l = line + 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l).trim();
    if (t !== '' && !t.startsWith('#')) return l;
  }
  return line + 1;
}
