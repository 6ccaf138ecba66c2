import { lintFiles, type LintOptions } from '../../server/src/lint/linter';
import { LineIndex } from '../../server/src/manifest/text';
import type { Finding } from '../../server/src/rules/types';

export interface Located extends Finding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

/** Lints files as one workspace; positions are 1-based like the CLI's. */
export function lint(files: Record<string, string>, options: LintOptions = {}): Located[] {
  const input = Object.entries(files).map(([name, text]) => ({ uri: `file:///ws/${name}`, text }));
  // Real time: test certificates are minted now, so a fixed date could precede their validity.
  const results = lintFiles(input, { now: new Date(), ...options });
  const out: Located[] = [];
  for (const { uri, text } of input) {
    const lines = new LineIndex(text);
    for (const f of results.get(uri) ?? []) {
      const s = lines.positionAt(f.span.start);
      const e = lines.positionAt(f.span.end);
      out.push({
        ...f,
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        text: text.slice(f.span.start, f.span.end),
      });
    }
  }
  return out;
}

/** 1-based line and column of the n-th occurrence of `snippet`. */
export function positionOf(text: string, snippet: string, occurrence = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(snippet, at + 1);
    if (at < 0) throw new Error(`snippet not found: ${snippet}`);
  }
  const lines = new LineIndex(text);
  const p = lines.positionAt(at);
  return { line: p.line + 1, column: p.character + 1 };
}
